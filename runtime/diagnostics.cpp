#include "runtime/diagnostics.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace secretc {

std::uint32_t SourceSet::add(std::string name, std::string text) {
  names_.push_back(std::move(name));
  texts_.push_back(std::move(text));
  return static_cast<std::uint32_t>(names_.size() - 1);
}

std::string_view SourceSet::line_text(std::uint32_t file, std::uint32_t line) const {
  if (file >= texts_.size() || line == 0) return {};
  const std::string& t = texts_[file];
  std::size_t pos = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    pos = t.find('\n', pos);
    if (pos == std::string::npos) return {};
    ++pos;
  }
  std::size_t end = t.find('\n', pos);
  if (end == std::string::npos) end = t.size();
  if (end > pos && t[end - 1] == '\r') --end;
  return std::string_view(t).substr(pos, end - pos);
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::Error) ++errors_;
  if (list_.size() >= kMaxKept) {
    ++dropped_;
    return;
  }
  list_.push_back(std::move(d));
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = list_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.file != b.where.file) return a.where.file < b.where.file;
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
  return out;
}

namespace {
const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// Visible width of a UTF-8 prefix, so that the caret lands under the right character.
std::size_t caret_indent(std::string_view line, std::uint32_t column) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < line.size() && chars + 1 < column; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars;
}
}  // namespace

std::string render_diagnostic(const Diagnostic& d, const SourceSet& sources) {
  std::string out;
  const std::string file = d.where.file < sources.size() ? sources.name(d.where.file) : std::string("secretc");
  if (d.where.line > 0) {
    out = fmt::format("{}:{}:{}: {}: {}\n", file, d.where.line, d.where.column, severity_name(d.severity), d.message);
    const std::string_view line = sources.line_text(d.where.file, d.where.line);
    if (!line.empty()) {
      std::string shown;
      for (const char c : line) shown += c == '\t' ? ' ' : c;
      out += fmt::format("  {}\n  {}^\n", shown, std::string(caret_indent(line, d.where.column), ' '));
    }
  } else {
    out = fmt::format("{}: {}: {}\n", file, severity_name(d.severity), d.message);
  }
  if (!d.hint.empty()) out += fmt::format("  hint: {}\n", d.hint);
  return out;
}

std::string render_all(const Diagnostics& diags, const SourceSet& sources) {
  std::string out;
  for (const Diagnostic& d : diags.sorted()) out += render_diagnostic(d, sources);
  if (diags.dropped() > 0) out += fmt::format("note: {} more diagnostics not shown\n", diags.dropped());
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 3));
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    if (c.size() > name.size() + limit || name.size() > c.size() + limit) continue;
    const std::size_t dist = edit_distance(name, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

}  // namespace secretc
