#pragma once

/// @file
/// The HTTP transport the IonQ client talks through: one abstract call that sends an
/// http_request and returns an http_response. The library's implementation uses libcurl
/// (make_curl_transport, compiled in src/papillon/ionq/curl_transport.cpp); tests substitute
/// their own.
///
/// A transport never throws for network failures: it reports them in http_response::failure, so
/// the caller (which knows whether a request is safe to repeat) decides about retries. It never
/// logs, and its error texts name only the method and the URL, never a header value (the
/// Authorization header carries the API key).

#include <papillon/core/enum_names.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon {

/// HTTP methods used by the IonQ API.
enum class http_method { get, post, put, del };

/// The methods' names as sent on the wire.
inline constexpr enum_table<http_method, 4> http_method_names{"HTTP method",
                                                              {{{http_method::get, "GET"},
                                                                {http_method::post, "POST"},
                                                                {http_method::put, "PUT"},
                                                                {http_method::del, "DELETE"}}}};
constexpr const auto& enum_names_of(http_method) noexcept { return http_method_names; }

/// The method's name as sent on the wire ("GET", "POST", "PUT", "DELETE").
constexpr std::string_view http_method_name(http_method m) noexcept {
  return http_method_names.name_of(m);
}

/// Header fields, in the order they are sent or were received.
using http_headers = std::vector<std::pair<std::string, std::string>>;

/// The default cap of a response body: 64 MiB, far above any IonQ answer papillon asks for.
inline constexpr std::size_t default_max_body_bytes = std::size_t{64} << 20;

/// One request.
struct http_request {
  http_method method = http_method::get;
  /// Absolute URL (scheme, host, path and query).
  std::string url;
  http_headers headers;
  /// Request body (sent for POST and PUT, and for DELETE when not empty).
  std::string body;
  /// Time allowed to establish the connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{10'000};
  /// Time allowed for the whole exchange, connection included.
  std::chrono::milliseconds timeout{60'000};
  /// Largest response body accepted (after decompression); a larger one is refused with
  /// transport_failure::too_large rather than cut.
  std::size_t max_body_bytes = default_max_body_bytes;
};

/// Why a request produced no complete response.
enum class transport_failure {
  none,        ///< a complete response was received (any status)
  not_sent,    ///< the connection could not be established: the server saw nothing
  maybe_sent,  ///< the exchange broke after the request may have reached the server
  timed_out,   ///< the total timeout expired (the request may have reached the server)
  too_large,   ///< the response body passed http_request::max_body_bytes (body dropped)
};

/// One response, or the description of a failed exchange.
struct http_response {
  /// HTTP status, 0 when failure != none.
  int status = 0;
  http_headers headers;
  std::string body;
  transport_failure failure = transport_failure::none;
  /// Human-readable cause of a failure (names the method and URL, never headers).
  std::string error;

  /// The value of the first header with this name (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() != name.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < k.size() && same; ++i) {
        const auto lower = [](char c) {
          return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        };
        same = lower(k[i]) == lower(name[i]);
      }
      if (same) return v;
    }
    return std::nullopt;
  }
};

/// Sends HTTP requests. Implementations must be safe to call from one thread at a time; the
/// IonQ client makes one call at a time.
class http_transport {
 public:
  virtual ~http_transport() = default;
  http_transport() = default;
  http_transport(const http_transport&) = delete;
  http_transport& operator=(const http_transport&) = delete;
  http_transport(http_transport&&) = delete;
  http_transport& operator=(http_transport&&) = delete;

  /// Performs one exchange. Network failures are reported in the response, not thrown.
  virtual http_response send(const http_request& request) = 0;

  /// GET `url`.
  http_response get(std::string url, http_headers headers = {}) {
    return send(make(http_method::get, std::move(url), std::move(headers), {}));
  }
  /// POST `body` to `url`.
  http_response post(std::string url, std::string body, http_headers headers = {}) {
    return send(make(http_method::post, std::move(url), std::move(headers), std::move(body)));
  }
  /// PUT `body` to `url`.
  http_response put(std::string url, std::string body, http_headers headers = {}) {
    return send(make(http_method::put, std::move(url), std::move(headers), std::move(body)));
  }
  /// DELETE `url`.
  http_response del(std::string url, http_headers headers = {}) {
    return send(make(http_method::del, std::move(url), std::move(headers), {}));
  }

 private:
  static http_request make(http_method m, std::string url, http_headers h, std::string body) {
    http_request r;
    r.method = m;
    r.url = std::move(url);
    r.headers = std::move(h);
    r.body = std::move(body);
    return r;
  }
};

/// Options of the libcurl transport.
struct curl_transport_options {
  /// Path of a CA bundle replacing the system default (verification stays on either way).
  std::string ca_file;
};

/// The libcurl transport. TLS peer and host verification are always on; proxies come from the
/// environment exactly as curl reads them (http_proxy, https_proxy, no_proxy); redirects are not
/// followed (a redirect would carry the API key elsewhere); only http and https are allowed.
/// Timeouts are taken from each request.
/// @throws transport_error if libcurl cannot be initialised.
std::shared_ptr<http_transport> make_curl_transport(const curl_transport_options& opt = {});

}  // namespace papillon
