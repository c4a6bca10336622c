// The Python module `secretc`: a compiled rulebase, and the answer to a case as `secretc check --format json`
// gives it — the same object, computed by the same code (analyse_case and render_json of cli/report.cpp,
// the JSON case reader of cli/json_case.cpp), handed to Python as dicts and lists.
//
//   import secretc
//   rb = secretc.load("belgian.secbc")          # or secretc.load() for the Belgian rulebase built in,
//                                              # or rule sources: secretc.load("stdlib-rules")
//   answer = rb.check({"confident.fonction": "medecin", "situation": "signalement", "victime.mineur": True})
//
// Bad input raises secretc.Error (a bytecode file that does not load, rules that do not compile: their
// located diagnostics) or secretc.CaseError (facts the
// rulebase does not accept; its args are the message and the list of problems, each located by its JSON
// Pointer). No C++ exception reaches Python otherwise.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/json_case.hpp"
#include "cli/report.hpp"
#include "compiler/compile.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/program.hpp"
#include "runtime/vm.hpp"

namespace secretc {
std::string_view embedded_rulebase();  // generated at build time (cmake/embed.cmake)
}

namespace py = pybind11;

namespace {

using ojson = nlohmann::ordered_json;

// A Python value of a fact as JSON: None, bool, int, str, or a datetime.date (as "YYYY-MM-DD").
ojson json_of_fact(const std::string& name, const py::handle& v) {
  if (v.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>();
  if (py::isinstance<py::int_>(v)) {
    try {
      return v.cast<std::int64_t>();
    } catch (const py::cast_error&) {
      throw py::value_error(fmt::format("the value of `{}` is an integer out of range", name));
    }
  }
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::hasattr(v, "isoformat") && py::hasattr(v, "year") && !py::hasattr(v, "hour")) {
    return v.attr("isoformat")().cast<std::string>();
  }
  throw py::type_error(fmt::format("the value of `{}` must be None, a bool, an int, a str or a datetime.date, not {}",
                                   name, py::str(py::type::handle_of(v).attr("__name__")).cast<std::string>()));
}

// The JSON answer as Python objects.
py::object python_of(const ojson& j) {
  switch (j.type()) {
    case ojson::value_t::null:
      return py::none();
    case ojson::value_t::boolean:
      return py::bool_(j.get<bool>());
    case ojson::value_t::number_integer:
      return py::int_(j.get<std::int64_t>());
    case ojson::value_t::number_unsigned:
      return py::int_(j.get<std::uint64_t>());
    case ojson::value_t::number_float:
      return py::float_(j.get<double>());
    case ojson::value_t::string:
      return py::str(j.get_ref<const std::string&>());
    case ojson::value_t::array: {
      py::list out;
      for (const ojson& x : j) out.append(python_of(x));
      return out;
    }
    case ojson::value_t::object: {
      py::dict out;
      for (const auto& [k, x] : j.items()) out[py::str(k)] = python_of(x);
      return out;
    }
    default:
      return py::none();
  }
}

std::int64_t today_utc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return now.time_since_epoch().count();
}

secretc::TextLang lang_of(const secretc::Program& p, const std::optional<std::string>& lang) {
  if (!lang) return p.written_in();
  if (*lang == "fr") return secretc::TextLang::French;
  if (*lang == "en") return secretc::TextLang::English;
  throw py::value_error(fmt::format("lang must be \"fr\" or \"en\", not \"{}\"", *lang));
}

// A loaded rulebase and the machine that evaluates its cases. The machine is reused from call to call:
// a Rulebase is used by one thread at a time, which the GIL (never released here) guarantees; a batch
// over several processes loads one per process.
class Rulebase {
 public:
  // The program lives on the heap: the machine keeps a reference to it, and a Rulebase is moved (into
  // the Python object) after it is made.
  Rulebase(secretc::Program program, std::string path)
      : owned_(std::make_unique<secretc::Program>(std::move(program))),
        program_(*owned_),
        path_(std::move(path)),
        machine_(std::make_unique<secretc::Machine>(program_)) {}

  py::object check(const py::dict& facts, const std::string& case_name, const std::optional<std::string>& lang,
                   const std::optional<std::string>& date, bool why_not) {
    const secretc::TextLang l = lang_of(program_, lang);
    std::int64_t today = today_utc();
    if (date) {
      const auto day = secretc::parse_date(*date);
      if (!day) throw py::value_error(fmt::format("date must be a day written YYYY-MM-DD, not \"{}\"", *date));
      today = *day;
    }
    ojson value = ojson::object();
    ojson& given = value["facts"] = ojson::object();
    for (const auto& [k, v] : facts) {
      if (!py::isinstance<py::str>(k)) throw py::type_error("fact names must be str");
      const std::string name = k.cast<std::string>();
      given[name] = json_of_fact(name, v);
    }
    const secretc::JsonCase read = secretc::bind_json_case(program_, value, today);
    if (!read.ok()) raise_case_error(read, l);
    // Without why_not, the near misses (most of the time of an answer) are not looked for, and the object
    // has no `why_not`, as `check --jsonl` gives it.
    const secretc::CaseAnalysis analysis = secretc::analyse_case(*machine_, read.bound, why_not);
    const secretc::CaseReport report{case_name,
                                     &program_,
                                     &read.bound,
                                     &analysis.result,
                                     &analysis.dependences,
                                     why_not ? &analysis.near_misses : nullptr};
    return python_of(secretc::render_json(report, l));
  }

  [[nodiscard]] py::list facts() const {
    py::list out;
    for (const secretc::FactInfo& f : program_.facts) {
      py::dict d;
      d["name"] = f.name;
      d["type"] = program_.type_name(f.type);
      py::list members;
      if (f.type.kind == secretc::TypeKind::Enum) {
        for (const std::string& m : program_.enums[f.type.enum_id].members) members.append(m);
      }
      d["members"] = members;
      out.append(d);
    }
    return out;
  }

  [[nodiscard]] py::list outputs() const {
    py::list out;
    for (const secretc::OutputInfo& o : program_.outputs) out.append(o.name);
    return out;
  }

  [[nodiscard]] const secretc::Program& program() const { return program_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  // Set once, when the module is imported, and kept for the life of the process: a static py::object
  // would be released after the interpreter has finalised.
  static PyObject*& case_error_type() {
    static PyObject* type = nullptr;
    return type;
  }

 public:
  static void set_case_error_type(const py::object& type) {
    case_error_type() = type.ptr();
    Py_INCREF(case_error_type());
  }

 private:
  // secretc.CaseError(message, problems): the message lists every problem, each after its JSON Pointer.
  [[noreturn]] static void raise_case_error(const secretc::JsonCase& read, secretc::TextLang lang) {
    const ojson problems = secretc::problems_json(read.problems, lang);
    std::string message;
    for (const ojson& e : problems.value("errors", ojson::array())) {
      if (!message.empty()) message += "\n";
      const std::string where = e.contains("path") ? e["path"].get<std::string>()
                                : e.contains("line")
                                    ? fmt::format("{}:{}", e["line"].get<std::uint32_t>(), e.value("column", 0U))
                                    : std::string();
      message += where.empty() ? e.value("message", "") : fmt::format("{}: {}", where, e.value("message", ""));
      if (e.contains("hint") && e["hint"].is_string() && !e["hint"].get<std::string>().empty()) {
        message += fmt::format(" ({})", e["hint"].get<std::string>());
      }
    }
    py::tuple args = py::make_tuple(message, python_of(problems));
    PyErr_SetObject(case_error_type(), args.ptr());
    throw py::error_already_set();
  }

  std::unique_ptr<secretc::Program> owned_;
  const secretc::Program& program_;
  std::string path_;
  std::unique_ptr<secretc::Machine> machine_;
};

PyObject*& error_type() {
  static PyObject* type = nullptr;  // as case_error_type
  return type;
}

[[noreturn]] void raise_error(const std::string& message) {
  PyErr_SetString(error_type(), message.c_str());
  throw py::error_already_set();
}

Rulebase load_bytes(std::string_view bytes, const std::string& where) {
  auto loaded = secretc::load_program(bytes);
  if (const auto* e = std::get_if<secretc::BytecodeError>(&loaded))
    raise_error(fmt::format("{}: {}", where, e->message));
  return Rulebase(std::move(std::get<secretc::Program>(loaded)), where);
}

Rulebase load(const std::optional<std::string>& path) {
  if (!path) return load_bytes(secretc::embedded_rulebase(), "<embedded>");
  // Rule sources (a `.rules` file or a folder of them) are compiled, as `secretc check --rules` does.
  std::error_code ec;
  if (std::filesystem::is_directory(*path, ec) || std::filesystem::path(*path).extension() == ".rules") {
    if (!std::filesystem::exists(*path, ec)) raise_error(fmt::format("{}: no such file or folder", *path));
    secretc::Compilation c = secretc::compile_paths({*path});
    if (!c.program) raise_error(secretc::render_all(c.diags, c.sources));
    return Rulebase(std::move(*c.program), *path);
  }
  std::ifstream in(*path, std::ios::binary);
  if (!in) raise_error(fmt::format("{}: cannot open the file", *path));
  std::string bytes;
  bytes.resize(secretc::kMaxBytecodeFileBytes + 1);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) raise_error(fmt::format("{}: cannot read the file", *path));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() > secretc::kMaxBytecodeFileBytes) {
    raise_error(
        fmt::format("{}: larger than {} bytes, the limit of a bytecode file", *path, secretc::kMaxBytecodeFileBytes));
  }
  return load_bytes(bytes, *path);
}

}  // namespace

PYBIND11_MODULE(secretc, m) {
  m.doc() =
      "secretc: Belgian professional secrecy rules, compiled; answers as `secretc check --format json` gives them";
  py::object error = py::reinterpret_steal<py::object>(PyErr_NewException("secretc.Error", PyExc_Exception, nullptr));
  py::object case_error =
      py::reinterpret_steal<py::object>(PyErr_NewException("secretc.CaseError", error.ptr(), nullptr));
  m.attr("Error") = error;
  m.attr("CaseError") = case_error;
  error_type() = error.ptr();
  Py_INCREF(error_type());
  Rulebase::set_case_error_type(case_error);

  py::class_<Rulebase>(m, "Rulebase", "A compiled rulebase, loaded and verified")
      .def("check", &Rulebase::check, py::arg("facts"), py::kw_only(), py::arg("case") = "-",
           py::arg("lang") = py::none(), py::arg("date") = py::none(), py::arg("why_not") = true,
           "The answer to a case (a dict from fact name to value: None for unknown, bool, int, str for members, "
           "dates and texts, or datetime.date), as the dict `secretc check --format json` prints. `case` is the "
           "answer's `case`; `lang` \"fr\" or \"en\" (default: the rulebase's); `date` (YYYY-MM-DD) the day used "
           "when the case does not give `cas.date` (default: today); `why_not=False` leaves out « pourquoi pas ? » "
           "(`why_not` empty), which costs most of the time of an answer. Raises CaseError for facts the rulebase does "
           "not accept.")
      .def_property_readonly("name", [](const Rulebase& r) { return r.program().name; })
      .def_property_readonly("version", [](const Rulebase& r) { return r.program().version; })
      .def_property_readonly("hash", [](const Rulebase& r) { return fmt::format("{:016x}", r.program().source_hash); })
      .def_property_readonly("path", &Rulebase::path)
      .def_property_readonly("facts", &Rulebase::facts, "Each fact: {name, type, members}")
      .def_property_readonly("outputs", &Rulebase::outputs)
      .def("__repr__", [](const Rulebase& r) {
        return fmt::format("<secretc.Rulebase {} {} from {}>", r.program().name, r.program().version, r.path());
      });

  m.def("load", &load, py::arg("path") = py::none(),
        "Loads a compiled rulebase (a .secbc file); without a path, the Belgian rulebase built into the module. "
        "Raises secretc.Error when the file cannot be read or is not valid bytecode.");
  m.def(
      "load_bytes",
      [](const py::bytes& b) {
        const std::string bytes = b;
        return load_bytes(bytes, "<bytes>");
      },
      py::arg("data"), "Loads a compiled rulebase from the bytes of a .secbc file.");
}
