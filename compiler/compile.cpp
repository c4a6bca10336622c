#include "compiler/compile.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "compiler/check.hpp"
#include "compiler/lower.hpp"
#include "compiler/parse_rules.hpp"
#include "runtime/bytecode.hpp"

namespace secretc {

namespace fs = std::filesystem;

std::vector<std::string> rule_files(const std::vector<std::string>& paths, Diagnostics& diags) {
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".rules") found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) diags.error({}, msg(Msg::FolderHoldsNoRules, path));
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      out.push_back(path);
    } else {
      diags.error({}, msg(Msg::PathMissing, path));
    }
  }
  return out;
}

namespace {

// The number of files and their total size, against kMaxRuleFiles and kMaxRulebaseBytes.
bool files_fit(std::size_t files, Diagnostics& diags) {
  if (files <= kMaxRuleFiles) return true;
  diags.error({}, msg(Msg::TooManyRuleFiles, files, kMaxRuleFiles), msg(Msg::TooManyRuleFilesHint));
  return false;
}

bool bytes_fit(std::size_t bytes, Diagnostics& diags) {
  if (bytes <= kMaxRulebaseBytes) return true;
  diags.error({}, msg(Msg::RulebaseTooLarge, bytes, kMaxRulebaseBytes));
  return false;
}

void compile_sources(Compilation& c) {
  std::size_t total = 0;
  for (std::uint32_t f = 0; f < c.sources.size(); ++f) total += c.sources.text(f).size();
  if (!files_fit(c.sources.size(), c.diags) || !bytes_fit(total, c.diags)) return;
  ast::Rulebase rb;
  std::uint64_t hash = fnv1a64({});
  for (std::uint32_t f = 0; f < c.sources.size(); ++f) {
    parse_rules(c.sources, f, rb, c.diags);
    // The contents and each file's own name, not the path it was given by: the same rule files hash the
    // same from a relative path, an absolute one or a copy. Hashed piece after piece, as one text of
    // name, NUL, contents, NUL for each file.
    constexpr std::string_view kNul("\0", 1);
    hash = fnv1a64(std::filesystem::path(c.sources.name(f)).filename().string(), hash);
    hash = fnv1a64(kNul, hash);
    hash = fnv1a64(c.sources.text(f), hash);
    hash = fnv1a64(kNul, hash);
  }
  if (c.diags.has_errors()) return;
  Model model = check_rulebase(std::move(rb), c.diags);
  model.source_hash = hash;
  if (c.diags.has_errors()) return;
  Program program = lower_program(model);
  if (const std::string problem = verify_program(program); !problem.empty()) {
    // A program the compiler made but the verifier refuses is a compiler bug, never the user's.
    c.diags.error({}, msg(Msg::InternalError, problem), msg(Msg::InternalErrorHint));
    return;
  }
  // What compiles must load: a program is refused here rather than written to a file no one can read.
  std::string bytecode = serialize_program(program);
  if (const std::size_t bytes = bytecode.size(); bytes > kMaxBytecodeFileBytes) {
    c.diags.error({}, msg(Msg::BytecodeTooLarge, bytes, kMaxBytecodeFileBytes), msg(Msg::BytecodeTooLargeHint));
    return;
  }
  c.model = std::move(model);
  c.program = std::move(program);
  c.bytecode = std::move(bytecode);
}

}  // namespace

Compilation compile_paths(const std::vector<std::string>& paths) {
  Compilation c;
  const std::vector<std::string> files = rule_files(paths, c.diags);
  if (!files_fit(files.size(), c.diags)) return c;
  std::size_t total = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (!in || ec) {
      c.diags.error({}, msg(Msg::FileUnreadable, file));
      continue;
    }
    // Stop reading once the whole is too large.
    total += size;
    if (!bytes_fit(total, c.diags)) return c;
    if (size > kMaxRuleFileBytes) {
      c.diags.error({}, msg(Msg::RuleFileTooLarge, file, size, kMaxRuleFileBytes), msg(Msg::RuleFileTooLargeHint));
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    c.sources.add(file, text.str());
  }
  if (c.diags.has_errors()) return c;
  compile_sources(c);
  return c;
}

Compilation compile_texts(const std::vector<std::pair<std::string, std::string>>& files) {
  Compilation c;
  for (const auto& [name, text] : files) c.sources.add(name, text);
  compile_sources(c);
  return c;
}

}  // namespace secretc
