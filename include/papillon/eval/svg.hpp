#pragma once

/// @file
/// The small SVG kit shared by the HTML report (eval/report_html.hpp) and `papillon plot-bench`:
/// XML escaping, pixel coordinates and the opening <svg> tag. Compiled in
/// src/papillon/eval/svg.cpp.

#include <string>
#include <string_view>

namespace papillon::eval::svg {

/// Text for XML (and HTML) content and attribute values: & < > " ' become entities; control
/// characters other than tab, line feed and carriage return are not allowed in XML 1.0 and
/// become U+FFFD.
[[nodiscard]] std::string escape(std::string_view s);

/// A pixel coordinate with one decimal ("12.5"); a value that is not finite is written as 0.0,
/// so "nan" never reaches a document.
[[nodiscard]] std::string px(double v);

/// The opening <svg> tag of a standalone drawing of width x height pixels (sans-serif, 12 px
/// text), with a line break. With an id the element is also an accessible image labelled by
/// the elements "<id>-title" and "<id>-desc".
[[nodiscard]] std::string open_tag(long width, long height, std::string_view id = {});

}  // namespace papillon::eval::svg
