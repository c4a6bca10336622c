// Test support: compiling rule texts and evaluating cases on both the VM and the reference evaluator.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "compiler/compile.hpp"
#include "compiler/reference_eval.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

namespace secretc::testing {

// A file's bytes, as they are.
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Compilation compile_one(const std::string& text, const std::string& name = "test.rules") {
  return compile_texts({{name, text}});
}

inline std::string errors_of(const Compilation& c) {
  return render_all(c.diags, c.sources);
}

// The Belgian rulebase of stdlib-rules/, compiled once for the whole test binary.
inline const Program& belgian_rulebase() {
  static const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"});
  if (!c.program) throw std::runtime_error("stdlib-rules does not compile:\n" + errors_of(c));
  return *c.program;
}

// Binds `name = value` pairs written as in a case file (values as words, dates, numbers or strings).
inline BoundCase bind(const Program& p, const std::vector<std::pair<std::string, std::string>>& given,
                      std::int64_t today = 19000) {
  std::vector<CaseEntry> entries;
  for (const auto& [name, value] : given) {
    CaseEntry e;
    e.name = name;
    e.text = value;
    if (value == "?") {
      e.kind = CaseValueKind::Unknown;
    } else if (value.size() == 10 && value[4] == '-' && value[7] == '-') {
      e.kind = CaseValueKind::Date;
    } else if (!value.empty() && value.front() == '"') {
      e.kind = CaseValueKind::String;
      e.text = value.substr(1, value.size() - 2);
    } else if (!value.empty() && (std::isdigit(static_cast<unsigned char>(value[0])) != 0 || value[0] == '-')) {
      e.kind =
          value.find_first_not_of("-0123456789") == std::string::npos ? CaseValueKind::Integer : CaseValueKind::Article;
    } else {
      e.kind = CaseValueKind::Word;
    }
    entries.push_back(e);
  }
  Diagnostics d;
  BoundCase b = bind_case(p, entries, today, d);
  if (d.has_errors()) throw std::runtime_error("case does not bind: " + d.all().front().message);
  return b;
}

inline std::string output_of(const Program& p, const Result& r, const std::string& name) {
  const auto o = p.find_output(name);
  if (!o) return "<no such output>";
  const OutputValue& v = r.outputs[*o];
  if (v.conflict) return "<conflict>";
  const OutputInfo& info = p.outputs[*o];
  return p.format_value({info.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, info.enum_id}, v.value);
}

inline bool fired(const Program& p, const Result& r, const std::string& rule) {
  const auto i = p.find_rule(rule);
  for (const auto f : r.fired) {
    if (i && f == *i) return true;
  }
  return false;
}

}  // namespace secretc::testing
