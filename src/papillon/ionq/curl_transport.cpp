// The libcurl implementation of http_transport.

#include <papillon/error.hpp>
#include <papillon/ionq/http_transport.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

namespace papillon {
namespace {

// curl_global_init is not thread-safe in older libcurl; do it once per process.
void global_init() {
  static std::once_flag once;
  static CURLcode code = CURLE_OK;
  std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (code != CURLE_OK)
    throw transport_error("curl_transport", "libcurl initialisation failed",
                          curl_easy_strerror(code));
}

struct body_sink {
  std::string* body;
  std::size_t cap;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<body_sink*>(user);
  const std::size_t n = size * count;
  if (n > sink->cap - std::min(sink->cap, sink->body->size())) {
    // Returning less than n makes curl stop with CURLE_WRITE_ERROR.
    sink->too_large = true;
    return 0;
  }
  sink->body->append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<http_headers*>(user);
  const std::size_t n = size * count;
  std::string line(data, n);
  // A new status line (after a 100 Continue or a proxy CONNECT) starts a new header block.
  if (line.rfind("HTTP/", 0) == 0) {
    out->clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  std::string name = line.substr(0, colon);
  std::string value = line.substr(colon + 1);
  const auto b = value.find_first_not_of(" \t");
  const auto e = value.find_last_not_of(" \t\r\n");
  value = b == std::string::npos ? std::string() : value.substr(b, e - b + 1);
  out->emplace_back(std::move(name), std::move(value));
  return n;
}

transport_failure classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return transport_failure::not_sent;
    case CURLE_OPERATION_TIMEDOUT:
      return transport_failure::timed_out;
    default:
      return transport_failure::maybe_sent;
  }
}

struct easy_deleter {
  void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct slist_deleter {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

class curl_transport final : public http_transport {
 public:
  explicit curl_transport(curl_transport_options opt) : m_opt(std::move(opt)) {
    global_init();
    m_handle.reset(curl_easy_init());
    if (!m_handle) throw transport_error("curl_transport", "curl_easy_init failed");
  }

  http_response send(const http_request& req) override {
    CURL* h = m_handle.get();
    // Keep the connection cache, drop every option of the previous request.
    curl_easy_reset(h);
    http_response res;
    char errbuf[CURL_ERROR_SIZE] = {};
    std::unique_ptr<curl_slist, slist_deleter> headers;
    for (const auto& [k, v] : req.headers) {
      const std::string line = k + ": " + v;
      curl_slist* next = curl_slist_append(headers.get(), line.c_str());
      if (next == nullptr) throw transport_error("curl_transport", "out of memory");
      static_cast<void>(headers.release());
      headers.reset(next);
    }
    // An empty Expect: avoids the 1 s "100-continue" wait on larger POST bodies.
    {
      curl_slist* next = curl_slist_append(headers.get(), "Expect:");
      if (next == nullptr) throw transport_error("curl_transport", "out of memory");
      static_cast<void>(headers.release());
      headers.reset(next);
    }
    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    // TLS verification is never turned off.
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_opt.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, m_opt.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    body_sink sink{&res.body, req.max_body_bytes};
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    // Refuses early when the server announces a larger Content-Length; on_body checks the rest.
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(req.max_body_bytes));
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &res.headers);
    switch (req.method) {
      case http_method::get:
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        break;
      case http_method::post:
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
        break;
      case http_method::put:
      case http_method::del:
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST,
                         std::string(http_method_name(req.method)).c_str());
        if (req.method == http_method::put || !req.body.empty()) {
          curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(req.body.size()));
          curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
        }
        break;
    }
    const CURLcode code = curl_easy_perform(h);
    if (sink.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      res.failure = transport_failure::too_large;
      res.error = std::string(http_method_name(req.method)) + " " + req.url +
                  ": response body larger than " + std::to_string(req.max_body_bytes) + " bytes";
      res.body.clear();
      return res;
    }
    if (code != CURLE_OK) {
      res.failure = classify(code);
      res.status = 0;
      // errbuf and curl_easy_strerror describe the network problem; neither contains headers.
      res.error = std::string(http_method_name(req.method)) + " " + req.url + ": " +
                  (errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(code)));
      res.body.clear();
      return res;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    res.status = static_cast<int>(status);
    return res;
  }

 private:
  curl_transport_options m_opt;
  std::unique_ptr<CURL, easy_deleter> m_handle;
};

}  // namespace

std::shared_ptr<http_transport> make_curl_transport(const curl_transport_options& opt) {
  return std::make_shared<curl_transport>(opt);
}

}  // namespace papillon
