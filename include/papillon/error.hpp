#pragma once

/// @file
/// The exception hierarchy. Every error papillon throws derives from papillon::error, and every
/// message reads "papillon::<where>: <what went wrong> (<context>)".

#include <stdexcept>
#include <string>
#include <string_view>

namespace papillon {

/// Base of every exception thrown by papillon.
class error : public std::runtime_error {
 public:
  /// @param where the function or component, without the "papillon::" prefix
  /// @param what what went wrong
  /// @param context the input or state that made it wrong; may be empty
  error(std::string_view where, std::string_view what, std::string_view context = {})
      : std::runtime_error(compose(where, what, context)) {}

  /// Formats a message in the library's fixed form.
  static std::string compose(std::string_view where, std::string_view what,
                             std::string_view context) {
    std::string msg = "papillon::";
    msg.append(where).append(": ").append(what);
    if (!context.empty()) msg.append(" (").append(context).append(")");
    return msg;
  }
};

/// A malformed circuit: bad qubit, arity, parameter index, angle, or a gate that does not fit
/// the state it is applied to.
class circuit_error : public error {
 public:
  using error::error;
};

/// Sizes that do not match: state against circuit, observable against state, vectors of the
/// wrong length, or a problem too large for the memory it would need.
class dimension_error : public error {
 public:
  using error::error;
};

/// Bad data: unreadable or malformed files, non-finite values, impossible settings.
class data_error : public error {
 public:
  using error::error;
};

/// A backend could not do what was asked.
class backend_error : public error {
 public:
  using error::error;
};

/// The network layer failed (connection, TLS, DNS, dropped connection).
class transport_error : public backend_error {
 public:
  using backend_error::backend_error;
};

/// A server answered with an HTTP error status. Holds the status and the server's message.
class http_error : public backend_error {
 public:
  http_error(std::string_view where, int status, std::string_view server_message,
             std::string_view context = {})
      : backend_error(
            where,
            std::string("HTTP ") + std::to_string(status) +
                (server_message.empty() ? std::string() : ": " + std::string(server_message)),
            context),
        m_status(status),
        m_server_message(server_message) {}

  /// The HTTP status code.
  [[nodiscard]] int status() const noexcept { return m_status; }
  /// The message the server sent, if any.
  [[nodiscard]] const std::string& server_message() const noexcept { return m_server_message; }

 private:
  int m_status;
  std::string m_server_message;
};

/// A remote job ended in failure or was canceled.
class remote_job_error : public backend_error {
 public:
  using backend_error::backend_error;
};

/// A deadline passed before the work finished.
class timeout_error : public backend_error {
 public:
  using backend_error::backend_error;
};

/// Communication between processes failed (an MPI call returned an error, or the processes of
/// a distributed run disagree about what they exchange).
class communication_error : public error {
 public:
  using error::error;
};

/// A broken internal invariant: a bug in papillon, not bad input. Input is validated at the
/// entry points, so reaching one of these means a check there is missing or wrong. Raised by
/// PAPILLON_ASSERT (core/assert.hpp), with the source file and line in the context.
class internal_error : public error {
 public:
  using error::error;
};

}  // namespace papillon
