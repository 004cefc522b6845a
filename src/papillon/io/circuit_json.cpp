#include <papillon/core/text.hpp>
#include <papillon/error.hpp>
#include <papillon/io/circuit_json.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace papillon {
namespace {

constexpr std::string_view reader_name = "circuit_from_json";

/// A short rendering of a JSON value for error messages ("got ..."). Containers are described,
/// never dumped: a document may be large or deeply nested.
template <class Json>
std::string describe(const Json& v) {
  if (v.is_array()) return "array of " + std::to_string(v.size()) + " entries";
  if (v.is_object()) return "object of " + std::to_string(v.size()) + " fields";
  if (v.is_string())
    return "string \"" + sanitize_text(v.template get_ref<const std::string&>(), 40) + "\"";
  return std::string(v.type_name()) + " " + v.dump();
}

/// A SAX pass over the text before the document is built: refuses nesting deeper than
/// max_circuit_json_depth (the DOM, its dump and its comparison recurse) and reports syntax
/// errors and numbers out of range with the path of the value ("gates[3].theta") and the byte
/// offset, in a bounded, sanitised message.
class json_checker {
 public:
  using json = nlohmann::json;

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool string(json::string_t&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool key(json::string_t& k) {
    m_frames.back().key = k;
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) {
    // nlohmann's 406 ("number overflow") is a number out of range such as 1e999.
    m_what = e.id == 406 ? "number out of range" : "not valid JSON";
    m_context = "at " + path() + ", byte " + std::to_string(position);
    if (e.id == 406)
      m_context += ": " + sanitize_text(token, 40);
    else
      m_context += ": " + sanitize_text(strip_prefix(e.what()), 120);
    return false;
  }

  /// The problem found, or an empty string.
  [[nodiscard]] const std::string& what() const { return m_what; }
  [[nodiscard]] const std::string& context() const { return m_context; }

 private:
  struct frame {
    bool array = false;
    std::size_t count = 0;  // entries started, arrays only
    std::string key;        // objects only
  };

  bool value() {
    if (!m_frames.empty() && m_frames.back().array) ++m_frames.back().count;
    return true;
  }
  bool open(bool array) {
    value();
    if (m_frames.size() >= max_circuit_json_depth) {
      m_what = "JSON nested too deeply";
      m_context = "more than " + std::to_string(max_circuit_json_depth) + " levels at " +
                  path().substr(0, 120);
      return false;
    }
    m_frames.push_back(frame{array, 0, {}});
    return true;
  }
  bool close() {
    m_frames.pop_back();
    return true;
  }
  std::string path() const {
    std::string p;
    for (const auto& f : m_frames) {
      if (f.array) {
        if (f.count > 0) p += "[" + std::to_string(f.count - 1) + "]";
      } else if (!f.key.empty() || !p.empty()) {
        p += (p.empty() ? "" : ".") + sanitize_text(f.key, 40);
      }
    }
    return p.empty() ? "top level" : p;
  }
  // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> "line 1, ...".
  static std::string_view strip_prefix(std::string_view msg) {
    const auto at = msg.find(" at line ");
    return at == std::string_view::npos ? msg : msg.substr(at + 4);
  }

  std::vector<frame> m_frames;
  std::string m_what;
  std::string m_context;
};

/// Parses text into a document, after json_checker has accepted it.
nlohmann::json parse_checked(std::string_view text, std::string_view where,
                             std::string_view source) {
  json_checker check;
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &check);
  if (!ok || !check.what().empty()) {
    std::string context = check.what().empty() ? "JSON parsing stopped" : check.context();
    if (!source.empty()) context += "; " + std::string(source);
    throw data_error(where, check.what().empty() ? "not valid JSON" : check.what(), context);
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {  // not expected after the check
    std::string context = sanitize_text(e.what(), 120);
    if (!source.empty()) context += "; " + std::string(source);
    throw data_error(where, "not valid JSON", context);
  }
}

/// Reads one document. Every error names the place ("gates[3] (rbs), field 'targets'") and, for
/// files, the path.
template <class Json>
class circuit_reader {
 public:
  circuit_reader(const Json& doc, std::string source) : m_doc(doc), m_source(std::move(source)) {}

  circuit read() {
    if (!m_doc.is_object()) fail_data("document is not a JSON object", "got " + describe(m_doc));
    read_format();
    const index_t n = read_qubits();
    read_declared_parameters();
    const auto gates_it = m_doc.find("gates");
    if (gates_it == m_doc.end()) fail_data("missing field 'gates'", "");
    if (!gates_it->is_array())
      fail_data("field 'gates' is not an array", "got " + describe(*gates_it));

    circuit c(n);
    index_t position = 0;
    for (const auto& g : *gates_it) c.append(read_gate(g, position++, n));
    if (m_declared) c.set_num_parameters(*m_declared);
    return c;
  }

 private:
  [[noreturn]] void fail_data(const std::string& what, std::string context) const {
    throw data_error(reader_name, what, with_source(std::move(context)));
  }
  [[noreturn]] void fail_circuit(const std::string& what, std::string context) const {
    throw circuit_error(reader_name, what, with_source(std::move(context)));
  }
  std::string with_source(std::string context) const {
    if (m_source.empty()) return context;
    if (context.empty()) return m_source;
    return context + "; " + m_source;
  }

  void read_format() const {
    const auto it = m_doc.find("format");
    if (it == m_doc.end())
      fail_data("missing field 'format'", "expected \"" + std::string(circuit_json_format) + "\"");
    if (!it->is_string()) fail_data("field 'format' is not a string", "got " + describe(*it));
    const auto& tag = it->template get_ref<const std::string&>();
    if (tag != circuit_json_format)
      fail_data("unsupported format \"" + sanitize_text(tag, 40) + "\"",
                "field 'format', expected \"" + std::string(circuit_json_format) + "\"");
  }

  index_t read_qubits() const {
    const auto it = m_doc.find("qubits");
    if (it == m_doc.end()) fail_data("missing field 'qubits'", "");
    if (!is_index(*it) || it->template get<std::uint64_t>() == 0)
      fail_data("field 'qubits' is not a positive integer", "got " + describe(*it));
    const auto n = it->template get<std::uint64_t>();
    if (n > max_circuit_qubits)
      fail_data("field 'qubits' exceeds " + std::to_string(max_circuit_qubits),
                "got " + std::to_string(n));
    return static_cast<index_t>(n);
  }

  void read_declared_parameters() {
    const auto it = m_doc.find("parameters");
    if (it == m_doc.end()) return;
    if (!is_index(*it))
      fail_data("field 'parameters' is not a non-negative integer", "got " + describe(*it));
    m_declared = static_cast<index_t>(it->template get<std::uint64_t>());
  }

  static bool is_index(const Json& v) {
    return v.is_number_unsigned() || (v.is_number_integer() && v.template get<std::int64_t>() >= 0);
  }

  static std::string place(index_t position, std::string_view name) {
    std::string s = "gates[" + std::to_string(position) + "]";
    if (!name.empty()) s.append(" (").append(name).append(")");
    return s;
  }
  static std::string field(index_t position, std::string_view name, std::string_view key) {
    return place(position, name) + ", field '" + std::string(key) + "'";
  }

  /// A qubit index field: a non-negative integer below n.
  index_t read_qubit(const Json& v, index_t position, std::string_view name, std::string_view key,
                     index_t n) const {
    if (!is_index(v))
      fail_data("qubit index is not a non-negative integer",
                field(position, name, key) + ", got " + describe(v));
    const auto q = v.template get<std::uint64_t>();
    if (q >= n)
      fail_circuit(
          "qubit " + std::to_string(q) + " out of range for " + std::to_string(n) + " qubits",
          field(position, name, key));
    return static_cast<index_t>(q);
  }

  /// A finite number field.
  double read_number(const Json& v, index_t position, std::string_view name,
                     std::string_view key) const {
    if (!v.is_number())
      fail_data("field '" + std::string(key) + "' is not a number",
                place(position, name) + ", got " + describe(v));
    const double x = v.template get<double>();
    if (!std::isfinite(x)) fail_circuit("non-finite angle", field(position, name, key));
    return x;
  }

  operation read_gate(const Json& g, index_t position, index_t n) const {
    if (!g.is_object())
      fail_data("gate is not a JSON object", place(position, {}) + ", got " + describe(g));
    const auto name_it = g.find("gate");
    if (name_it == g.end()) fail_data("missing field 'gate'", place(position, {}));
    if (!name_it->is_string())
      fail_data("field 'gate' is not a string",
                place(position, {}) + ", got " + describe(*name_it));
    const auto& name = name_it->template get_ref<const std::string&>();
    const auto kind = gate_from_name(name);
    if (!kind)
      fail_circuit("unknown gate \"" + sanitize_text(name, 40) + "\"", field(position, {}, "gate"));
    const gate_traits& tr = traits(*kind);

    operation op = make_operation(*kind, 0, 0);
    std::vector<std::string_view> allowed{"gate"};

    // Qubits, with arity mistakes reported as such rather than as a missing field.
    if (*kind == gate_kind::cnot) {
      allowed.insert(allowed.end(), {"control", "target"});
      const auto c = g.find("control");
      const auto t = g.find("target");
      if (c == g.end() || t == g.end())
        fail_circuit("cnot needs 'control' and 'target'",
                     field(position, name, c == g.end() ? "control" : "target"));
      op.qubits[0] = read_qubit(*c, position, name, "control", n);
      op.qubits[1] = read_qubit(*t, position, name, "target", n);
      if (op.qubits[0] == op.qubits[1])
        fail_circuit("control equals target (qubit " + std::to_string(op.qubits[0]) + ")",
                     field(position, name, "target"));
    } else if (tr.arity == 1) {
      allowed.emplace_back("target");
      const auto t = g.find("target");
      if (t == g.end()) {
        if (g.contains("targets"))
          fail_circuit("wrong arity: " + name + " acts on one qubit; use 'target'",
                       field(position, name, "targets"));
        fail_data("missing field 'target'", place(position, name));
      }
      op.qubits[0] = read_qubit(*t, position, name, "target", n);
    } else {
      allowed.emplace_back("targets");
      const auto t = g.find("targets");
      if (t == g.end()) {
        if (g.contains("target") || g.contains("control"))
          fail_circuit("wrong arity: " + name + " acts on two qubits; use 'targets': [a, b]",
                       field(position, name, "target"));
        fail_data("missing field 'targets'", place(position, name));
      }
      if (!t->is_array())
        fail_data("field 'targets' is not an array",
                  place(position, name) + ", got " + describe(*t));
      if (t->size() != 2)
        fail_circuit("wrong arity: " + name + " acts on 2 qubits, 'targets' has " +
                         std::to_string(t->size()) + " entries",
                     field(position, name, "targets"));
      op.qubits[0] = read_qubit((*t)[0], position, name, "targets", n);
      op.qubits[1] = read_qubit((*t)[1], position, name, "targets", n);
      if (op.qubits[0] == op.qubits[1])
        fail_circuit("repeated target qubit " + std::to_string(op.qubits[0]),
                     field(position, name, "targets"));
    }

    if (tr.rotation) {
      allowed.insert(allowed.end(), {"theta", "param", "scale"});
      read_angle(g, op, position, name);
    } else if (*kind == gate_kind::gpi || *kind == gate_kind::gpi2) {
      allowed.emplace_back("phase");
      const auto p = g.find("phase");
      if (p == g.end()) fail_data("missing field 'phase'", place(position, name));
      op.turns[0] = read_number(*p, position, name, "phase");
    } else if (*kind == gate_kind::ms) {
      allowed.insert(allowed.end(), {"phases", "angle"});
      const auto p = g.find("phases");
      if (p == g.end()) fail_data("missing field 'phases'", place(position, name));
      if (!p->is_array() || p->size() != 2)
        fail_data("field 'phases' is not an array of two numbers",
                  place(position, name) + ", got " + describe(*p));
      op.turns[0] = read_number((*p)[0], position, name, "phases");
      op.turns[1] = read_number((*p)[1], position, name, "phases");
      const auto a = g.find("angle");
      op.turns[2] = a == g.end() ? 0.25 : read_number(*a, position, name, "angle");
    }

    for (auto it = g.begin(); it != g.end(); ++it)
      if (std::find(allowed.begin(), allowed.end(), std::string_view(it.key())) == allowed.end())
        fail_data("field '" + sanitize_text(it.key(), 40) + "' does not apply to gate " + name,
                  place(position, name));
    return op;
  }

  void read_angle(const Json& g, operation& op, index_t position, const std::string& name) const {
    const auto th = g.find("theta");
    const auto pa = g.find("param");
    const auto sc = g.find("scale");
    if (th != g.end() && pa != g.end())
      fail_circuit("both 'theta' and 'param' given; use one", field(position, name, "param"));
    if (th == g.end() && pa == g.end())
      fail_circuit("missing angle: give 'theta' or 'param'", place(position, name));
    if (th != g.end()) {
      if (sc != g.end()) fail_data("field 'scale' needs 'param'", field(position, name, "scale"));
      op.theta = read_number(*th, position, name, "theta");
      return;
    }
    if (!is_index(*pa))
      fail_data("parameter index is not a non-negative integer",
                field(position, name, "param") + ", got " + describe(*pa));
    const auto index = pa->template get<std::uint64_t>();
    if (m_declared && index >= *m_declared)
      fail_circuit("parameter index " + std::to_string(index) +
                       " out of range of 'parameters' = " + std::to_string(*m_declared),
                   field(position, name, "param"));
    double scale = 1.0;
    if (sc != g.end()) scale = read_number(*sc, position, name, "scale");
    op.param = parameter_ref{static_cast<index_t>(index), scale};
  }

  const Json& m_doc;
  std::string m_source;
  std::optional<index_t> m_declared;
};

template <class Json>
Json to_json_impl(const circuit& c) {
  Json doc = Json::object();
  doc["format"] = std::string(circuit_json_format);
  doc["qubits"] = c.num_qubits();
  doc["parameters"] = c.num_parameters();
  Json gates = Json::array();
  for (const auto& op : c.operations()) {
    const gate_traits& tr = traits(op.kind);
    Json g = Json::object();
    g["gate"] = std::string(tr.name);
    if (op.kind == gate_kind::cnot) {
      g["control"] = op.qubits[0];
      g["target"] = op.qubits[1];
    } else if (tr.arity == 1) {
      g["target"] = op.qubits[0];
    } else {
      g["targets"] = Json::array({op.qubits[0], op.qubits[1]});
    }
    if (tr.rotation) {
      if (op.param) {
        g["param"] = op.param->index;
        if (op.param->scale != 1.0) g["scale"] = op.param->scale;
      } else {
        g["theta"] = op.theta;
      }
    } else if (op.kind == gate_kind::gpi || op.kind == gate_kind::gpi2) {
      g["phase"] = op.turns[0];
    } else if (op.kind == gate_kind::ms) {
      g["phases"] = Json::array({op.turns[0], op.turns[1]});
      g["angle"] = op.turns[2];
    }
    gates.push_back(std::move(g));
  }
  doc["gates"] = std::move(gates);
  return doc;
}

}  // namespace

circuit circuit_from_json(const nlohmann::json& doc) {
  return circuit_reader<nlohmann::json>(doc, {}).read();
}

circuit circuit_from_json(const nlohmann::ordered_json& doc) {
  return circuit_reader<nlohmann::ordered_json>(doc, {}).read();
}

nlohmann::ordered_json circuit_to_json(const circuit& c) {
  return to_json_impl<nlohmann::ordered_json>(c);
}

circuit parse_circuit_json(std::string_view text) {
  return circuit_from_json(parse_checked(text, "parse_circuit_json", {}));
}

std::string circuit_to_json_string(const circuit& c, int indent) {
  // dump() prints doubles with max_digits10 significant digits, so text round trips exactly.
  return circuit_to_json(c).dump(indent);
}

circuit read_circuit_file(const std::filesystem::path& path) {
  const std::string shown = sanitize_text(path.string());
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw data_error("read_circuit_file", "is a directory, not a file", shown);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error("read_circuit_file", "cannot open file", shown);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw data_error("read_circuit_file", "cannot read file", shown);
  const nlohmann::json doc = parse_checked(text, "read_circuit_file", "file " + shown);
  return circuit_reader<nlohmann::json>(doc, "file " + shown).read();
}

void write_circuit_file(const std::filesystem::path& path, const circuit& c) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw data_error("write_circuit_file", "cannot open file for writing", path.string());
  out << circuit_to_json_string(c, 2) << '\n';
  out.flush();
  if (!out) throw data_error("write_circuit_file", "cannot write file", path.string());
}

}  // namespace papillon
