#pragma once

/// @file
/// Making outside text safe to quote in a message or a log line. Cells of a data file, server
/// answers and job ids can hold anything: megabytes, control characters that move the cursor
/// or clear the terminal, a NUL that cuts a C string short. sanitize_text() escapes what a
/// terminal would act on and caps the length, so one message stays one short line.

#include <cstddef>
#include <string>
#include <string_view>

namespace papillon {

/// The default cap of sanitize_text(), in characters of the result (before the marker).
inline constexpr std::size_t text_cap = 200;

/// `text` made safe for a one-line message:
/// - control characters (below 0x20, DEL, the C1 range U+0080..U+009F) and bytes that are not
///   valid UTF-8 become escapes: `\n`, `\r`, `\t`, `\0`, else `\xNN`, byte by byte;
/// - valid UTF-8 above U+009F is kept as it is;
/// - when the escaped text would pass `cap` characters it is cut at a character boundary and
///   `... (N bytes)` is appended, N being the length of the original text.
[[nodiscard]] inline std::string sanitize_text(std::string_view text, std::size_t cap = text_cap) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() < cap ? text.size() : cap);
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  // Length of the valid UTF-8 sequence at i that is not a C1 control, or 0.
  const auto utf8_length = [&](std::size_t i) -> std::size_t {
    const unsigned char b = byte(i);
    std::size_t n = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      n = 2, min = 0xa0, cp = b & 0x1fu;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 3, min = 0x800, cp = b & 0x0fu;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4, min = 0x10000, cp = b & 0x07u;
    } else {
      return 0;
    }
    if (i + n > text.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
      if ((byte(i + k) & 0xc0u) != 0x80u) return 0;
      cp = (cp << 6) | (byte(i + k) & 0x3fu);
    }
    // Overlong forms, C1 controls, surrogates and code points above U+10FFFF are escaped.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return 0;
    return n;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned char b = byte(i);
    std::string piece;
    std::size_t used = 1;
    if (b >= 0x20 && b < 0x7f) {
      piece.assign(1, static_cast<char>(b));
    } else if (b == '\n') {
      piece = "\\n";
    } else if (b == '\r') {
      piece = "\\r";
    } else if (b == '\t') {
      piece = "\\t";
    } else if (b == 0) {
      piece = "\\0";
    } else if (const std::size_t n = b >= 0x80 ? utf8_length(i) : 0; n > 0) {
      piece.assign(text.substr(i, n));
      used = n;
    } else {
      piece = {'\\', 'x', hex[b >> 4], hex[b & 0xfu]};
    }
    if (out.size() + piece.size() > cap) {
      out.append("... (").append(std::to_string(text.size())).append(" bytes)");
      return out;
    }
    out += piece;
    i += used;
  }
  return out;
}

}  // namespace papillon
