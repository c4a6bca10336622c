// What the commands read from the user: files, standard input, and the rulebase to run. One place for
// the limits, the messages and the ways of naming a rulebase, so that `check`, `ask`, `serve`, `vocab`,
// `disasm` and `diff` accept and refuse the same things in the same words.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/diagnostics.hpp"
#include "runtime/messages.hpp"
#include "runtime/program.hpp"

namespace secretc {

// A case file, a JSON case, a case on standard input: at most this many bytes.
inline constexpr std::size_t kMaxCaseFileBytes = 1U << 20U;

// Reads a whole regular file of at most `limit` bytes. On failure, `error` says why (no such file,
// too large, unreadable) and `text` is untouched.
bool read_file(const std::string& path, std::string& text, std::size_t limit, Message& error);

// Reads standard input to its end, within the same kind of limit.
bool read_stdin(std::string& text, std::size_t limit, Message& error);

// The program to run, named as on the command line: no name, the embedded rulebase; one `.secbc`,
// compiled bytecode (verified on load); otherwise rule sources, compiled. On failure, nullopt, with the
// messages appended to `err`: rule diagnostics rendered in `lang`, or without it in the default style
// (set_default_render_style), located where there is a line.
// `first_source`, when given, receives the text of the first rule source (for `diff`'s keywords);
// `seen`, when given, receives the diagnostics themselves (for `--format json`).
struct LoadDiagnostics {
  SourceSet sources;
  Diagnostics diags;
};
std::optional<Program> load_rules(const std::vector<std::string>& rules, std::string_view embedded, std::string& err,
                                  std::optional<TextLang> lang = std::nullopt, std::string* first_source = nullptr,
                                  LoadDiagnostics* seen = nullptr);

}  // namespace secretc
