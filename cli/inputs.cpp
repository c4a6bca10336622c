#include "cli/inputs.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <variant>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "runtime/bytecode.hpp"

namespace secretc {

namespace fs = std::filesystem;

bool read_file(const std::string& path, std::string& text, std::size_t limit, Message& error) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    error = msg(Msg::FileMissing, path);
    return false;
  }
  const auto size = fs::file_size(path, ec);
  if (ec || size > limit) {
    error = ec ? msg(Msg::FileUnreadable, path) : msg(Msg::FileTooLarge, path, size, limit);
    return false;
  }
  // The size read before: a file that changes meanwhile is read as it was then, or refused.
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in || static_cast<std::size_t>(in.gcount()) != bytes.size()) {
    error = msg(Msg::FileUnreadable, path);
    return false;
  }
  text = std::move(bytes);
  return true;
}

bool read_stdin(std::string& text, std::size_t limit, Message& error) {
  std::string out;
  char buffer[65536];
  for (;;) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, stdin);
    out.append(buffer, n);
    if (out.size() > limit) {
      error = msg(Msg::StdinTooLarge, limit);
      return false;
    }
    if (n < sizeof buffer) break;
  }
  if (std::ferror(stdin) != 0) {
    error = msg(Msg::StdinUnreadable);
    return false;
  }
  text = std::move(out);
  return true;
}

std::optional<Program> load_rules(const std::vector<std::string>& rules, std::string_view embedded, std::string& err,
                                  std::optional<TextLang> lang, std::string* first_source, LoadDiagnostics* seen) {
  // Bytecode is refused by unlocated diagnostics: `name: error: …`, or `secretc: error: …` without a file.
  const auto refused = [&](Message why, const std::string& name) -> std::optional<Program> {
    LoadDiagnostics local;
    LoadDiagnostics& d = seen != nullptr ? *seen : local;
    d.diags.error({name.empty() ? kNoFile : d.sources.add(name, ""), 0, 0}, std::move(why));
    err += lang ? render_all(d.diags, d.sources, *lang) : render_all(d.diags, d.sources);
    return std::nullopt;
  };
  const auto verified = [&](std::string_view bytes, const std::string& name) -> std::optional<Program> {
    auto loaded = load_program(bytes);
    if (auto* e = std::get_if<BytecodeError>(&loaded)) {
      // What is wrong with the file, in the language the diagnostic is rendered in (as `refused` picks it).
      const std::string detail = e->text(lang.value_or(default_render_style().lang));
      return refused(name.empty() ? msg(Msg::EmbeddedRulebaseDamaged, detail) : msg(Msg::InvalidBytecode, detail),
                     name);
    }
    return std::get<Program>(std::move(loaded));
  };
  if (rules.empty()) return verified(embedded, "");
  if (rules.size() == 1 && rules[0].size() > 6 && rules[0].ends_with(".secbc")) {
    std::string bytes;
    Message error;
    if (!read_file(rules[0], bytes, kMaxBytecodeFileBytes, error)) return refused(std::move(error), "");
    return verified(bytes, rules[0]);
  }
  Compilation c = compile_paths(rules);
  err += lang ? render_all(c.diags, c.sources, *lang) : render_all(c.diags, c.sources);
  if (first_source != nullptr && c.sources.size() > 0) *first_source = std::string(c.sources.text(0));
  if (seen != nullptr) {
    seen->sources = std::move(c.sources);
    seen->diags = std::move(c.diags);
  }
  return std::move(c.program);
}

}  // namespace secretc
