#include "cli/fmt_command.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cli/inputs.hpp"
#include "compiler/compile.hpp"
#include "compiler/format.hpp"
#include "runtime/diagnostics.hpp"

namespace secretc {

namespace {

struct FormattedFile {
  std::string path;
  std::string original;
  std::string formatted;
};

// The program the files compile to, with the layout left out; empty when they do not compile.
std::string program_bytes(const std::vector<std::pair<std::string, std::string>>& files) {
  Compilation c = compile_texts(files);
  return c.program ? layout_independent_bytes(std::move(*c.program)) : std::string();
}

// The formatter's last check, across files: the formatted files compile to the program the originals
// compile to. When the files do not compile together (a file may need declarations of files not
// given), each file that compiles on its own is checked on its own. Returns a problem, or "".
std::string same_program(const std::vector<FormattedFile>& files) {
  std::vector<std::pair<std::string, std::string>> before, after;
  for (const FormattedFile& f : files) {
    before.emplace_back(f.path, f.original);
    after.emplace_back(f.path, f.formatted);
  }
  if (files.empty()) return {};
  const std::string expected = program_bytes(before);
  if (!expected.empty()) {
    if (program_bytes(after) == expected) return {};
    std::vector<std::string> culprits;
    for (std::size_t i = 0; i < files.size(); ++i) {
      auto mixed = before;
      mixed[i].second = files[i].formatted;
      if (program_bytes(mixed) != expected) culprits.push_back(fmt::format("`{}`", files[i].path));
    }
    std::string names;
    for (const std::string& c : culprits) names += (names.empty() ? "" : ", ") + c;
    return fmt::format("the formatted files ({}) do not compile to the same program as the originals",
                       names.empty() ? std::string("taken together") : names);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string alone = program_bytes({before[i]});
    if (!alone.empty() && program_bytes({after[i]}) != alone) {
      return fmt::format("the formatted `{}` does not compile to the same program as the original", files[i].path);
    }
  }
  return {};
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// A line-by-line difference: ' ' kept, '-' only in `a`, '+' only in `b`.
struct DiffLine {
  char op;
  std::string_view text;
  std::size_t a_line;  // 1-based line in `a` (for '-' and ' '), or the line before which '+' goes
  std::size_t b_line;
};

std::vector<DiffLine> diff_lines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  const std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
  std::vector<DiffLine> out;
  for (std::size_t i = 0; i < prefix; ++i) out.push_back({' ', a[i], i + 1, i + 1});
  if (n * m <= 4'000'000) {
    // Longest common subsequence of the middle parts.
    std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        out.push_back({' ', a[prefix + i], prefix + i + 1, prefix + j + 1});
        ++i;
        ++j;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.push_back({'-', a[prefix + i], prefix + i + 1, prefix + j + 1});
        ++i;
      } else {
        out.push_back({'+', b[prefix + j], prefix + i + 1, prefix + j + 1});
        ++j;
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) out.push_back({'-', a[prefix + i], prefix + i + 1, prefix + 1});
    for (std::size_t j = 0; j < m; ++j) out.push_back({'+', b[prefix + j], prefix + n + 1, prefix + j + 1});
  }
  for (std::size_t k = 0; k < suffix; ++k) {
    out.push_back({' ', a[a.size() - suffix + k], a.size() - suffix + k + 1, b.size() - suffix + k + 1});
  }
  return out;
}

// What `--check` shows of a file that would change: its first changed place, unified-diff style, and
// how many other places change.
std::string diff_excerpt(const std::string& path, std::string_view original, std::string_view formatted) {
  constexpr std::size_t kContext = 2;
  constexpr std::size_t kMaxShown = 16;
  const std::vector<DiffLine> d = diff_lines(split_lines(original), split_lines(formatted));
  std::vector<std::pair<std::size_t, std::size_t>> hunks;  // [begin, end) in d, context included
  for (std::size_t k = 0; k < d.size();) {
    if (d[k].op == ' ') {
      ++k;
      continue;
    }
    std::size_t end = k;
    while (end < d.size()) {
      if (d[end].op != ' ') {
        ++end;
        continue;
      }
      std::size_t same = end;
      while (same < d.size() && d[same].op == ' ') ++same;
      if (same == d.size() || same - end > 2 * kContext) break;
      end = same;
    }
    const std::size_t begin = k >= kContext ? k - kContext : 0;
    hunks.emplace_back(begin, std::min(d.size(), end + kContext));
    k = end;
  }
  std::string out = fmt::format("--- {}\n+++ {} (formatted)\n", path, path);
  if (hunks.empty()) {  // only the final line break differs
    return out + "@@ the end of the file @@\n";
  }
  const auto [begin, end] = hunks.front();
  std::size_t a_count = 0, b_count = 0;
  for (std::size_t k = begin; k < end; ++k) {
    if (d[k].op != '+') ++a_count;
    if (d[k].op != '-') ++b_count;
  }
  out += fmt::format("@@ -{},{} +{},{} @@\n", d[begin].a_line, a_count, d[begin].b_line, b_count);
  for (std::size_t k = begin; k < end && k - begin < kMaxShown; ++k) out += fmt::format("{}{}\n", d[k].op, d[k].text);
  if (end - begin > kMaxShown) out += fmt::format("… ({} more lines in this place)\n", end - begin - kMaxShown);
  if (hunks.size() > 1)
    out += fmt::format("… and {} more place{} that would change\n", hunks.size() - 1, hunks.size() > 2 ? "s" : "");
  return out;
}

}  // namespace

int run_fmt(const std::vector<std::string>& paths, bool check, Output& o) {
  Diagnostics path_diags;
  const std::vector<std::string> files = rule_files(paths, path_diags);
  o.err += render_all(path_diags, SourceSet());
  bool failed = path_diags.has_errors();
  bool internal = false;
  std::vector<FormattedFile> formatted;
  for (const std::string& path : files) {
    std::string text;
    Message error;
    if (!read_file(path, text, kMaxRuleFileBytes, error)) {
      o.err += fmt::format("secretc: error: {}\n", message_text(error, TextLang::English));
      failed = true;
      continue;
    }
    FormatResult r = format_rules(path, text);
    switch (r.status) {
      case FormatStatus::InvalidSource:
        o.err += render_all(r.diags, r.sources);
        o.err += fmt::format("{}: not formatted: it has errors\n", path);
        failed = true;
        break;
      case FormatStatus::InternalError:
        o.err += fmt::format("{}: internal error: the formatter failed its own check: {}\n", path, r.problem);
        internal = true;
        break;
      case FormatStatus::Ok:
        formatted.push_back({path, std::move(text), std::move(r.text)});
        break;
    }
  }
  if (const std::string problem = same_program(formatted); !problem.empty()) {
    o.err += fmt::format("secretc: internal error: {}\n", problem);
    internal = true;
  }
  if (internal) {
    o.err += "secretc: no file was written; please report this formatter bug with the rule files\n";
    return 1;
  }

  std::size_t changed = 0;
  for (const FormattedFile& f : formatted) {
    if (f.formatted == f.original) continue;
    ++changed;
    if (check) {
      o.out += diff_excerpt(f.path, f.original, f.formatted);
      continue;
    }
    if (const std::string error = write_file_atomically(f.path, f.formatted); !error.empty()) {
      o.err += fmt::format("secretc: error: {}\n", error);
      failed = true;
      continue;
    }
    o.out += fmt::format("formatted {}\n", f.path);
  }
  if (check && changed > 0) {
    o.err += fmt::format("secretc: {} of {} file{} would be reformatted; run `secretc fmt` on {}\n", changed,
                         formatted.size(), formatted.size() == 1 ? "" : "s", changed == 1 ? "it" : "them");
    return 1;
  }
  return failed ? 1 : 0;
}

}  // namespace secretc
