#include "runtime/diagnostics.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

#include <fmt/format.h>

#include "runtime/utf8.hpp"

namespace secretc {

std::uint32_t SourceSet::add(std::string name, std::string text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1))
    starts.push_back(at + 1);
  names_.push_back(std::move(name));
  texts_.push_back(std::move(text));
  line_starts_.push_back(std::move(starts));
  return static_cast<std::uint32_t>(names_.size() - 1);
}

std::string_view SourceSet::line_text(std::uint32_t file, std::uint32_t line) const {
  if (file >= texts_.size() || line == 0 || line > line_starts_[file].size()) return {};
  const std::string& t = texts_[file];
  const std::size_t pos = line_starts_[file][line - 1];
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
  // A note belongs to the diagnostic reported just before it (`x` is given twice / first given here):
  // it moves with it, and stays after it even when it points earlier in the file.
  std::vector<std::pair<std::size_t, std::size_t>> groups;  // [first, last) in list_
  for (std::size_t i = 0; i < list_.size(); ++i) {
    if (list_[i].severity == Severity::Note && !groups.empty()) {
      groups.back().second = i + 1;
    } else {
      groups.emplace_back(i, i + 1);
    }
  }
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& x, const auto& y) {
    const Location& a = list_[x.first].where;
    const Location& b = list_[y.first].where;
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
  std::vector<Diagnostic> out;
  out.reserve(list_.size());
  for (const auto& [first, last] : groups) out.insert(out.end(), list_.begin() + first, list_.begin() + last);
  return out;
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

namespace {
const char* severity_name_fr(Severity s) {
  switch (s) {
    case Severity::Error:
      return "erreur";
    case Severity::Warning:
      return "avertissement";
    case Severity::Note:
      return "note";
  }
  return "erreur";
}

// Visible width of a UTF-8 prefix, so that the caret lands under the right character.
std::size_t caret_indent(std::string_view line, std::uint32_t column) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < line.size() && chars + 1 < column; ++i) {
    if (!is_utf8_continuation(line[i])) ++chars;
  }
  return chars;
}

// The offset of the byte starting the character numbered `chars` (from 0), or the line's size.
std::size_t byte_of_char(std::string_view line, std::size_t chars) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (is_utf8_continuation(line[i])) continue;
    if (seen == chars) return i;
    ++seen;
  }
  return line.size();
}
}  // namespace

void Diagnostics::add_message(Severity severity, Location at, Message text, Message hint) {
  Diagnostic d{severity, at, message_text(text, TextLang::English), message_text(hint, TextLang::English), {}, {}};
  d.text = std::move(text);
  d.hint_text = std::move(hint);
  add(std::move(d));
}

namespace {
// Set once, by main() before any command runs; read only afterwards. Packed into one byte (the
// language, then the severity words) so that the atomic is a lock-free integer on every compiler (an
// atomic struct needs libatomic under clang).
std::uint8_t pack(RenderStyle style) {
  return static_cast<std::uint8_t>(static_cast<unsigned>(style.lang) | (static_cast<unsigned>(style.severity) << 4U));
}
std::atomic<std::uint8_t> g_default_style{pack(RenderStyle{})};
}  // namespace

void set_default_render_style(RenderStyle style) {
  g_default_style.store(pack(style));
}
RenderStyle default_render_style() {
  const unsigned packed = g_default_style.load();
  return {static_cast<TextLang>(packed & 0xFU), static_cast<SeverityWords>(packed >> 4U)};
}

std::string render_diagnostic(const Diagnostic& d, const SourceSet& sources) {
  const RenderStyle style = default_render_style();
  return render_diagnostic(d, sources, style.lang, style.severity);
}

std::string render_all(const Diagnostics& diags, const SourceSet& sources) {
  const RenderStyle style = default_render_style();
  return render_all(diags, sources, style.lang, style.severity);
}

std::string render_diagnostic(const Diagnostic& d, const SourceSet& sources, TextLang lang, SeverityWords words) {
  std::string out;
  const std::string message = d.message_in(lang);
  const std::string hint = d.hint_in(lang);
  const bool fr = lang == TextLang::French;
  const char* severity =
      fr && words == SeverityWords::OfTheLanguage ? severity_name_fr(d.severity) : severity_name(d.severity);
  const std::string file = d.where.file < sources.size() ? sources.name(d.where.file) : std::string("secretc");
  if (d.where.line > 0 && d.where.column == 0) {
    out = fmt::format("{}:{}: {}: {}\n", file, d.where.line, severity, message);
  } else if (d.where.line > 0) {
    out = fmt::format("{}:{}:{}: {}: {}\n", file, d.where.line, d.where.column, severity, message);
    std::string_view line = sources.line_text(d.where.file, d.where.line);
    if (!line.empty()) {
      std::size_t indent = caret_indent(line, d.where.column);
      // A very long line (minified, or generated) is shown around the caret only.
      constexpr std::size_t kWholeLine = 1000, kAround = 300;
      std::string before, after;
      if (line.size() > kWholeLine) {
        const std::size_t from = indent > kAround ? indent - kAround : 0;
        const std::size_t begin = byte_of_char(line, from);
        const std::size_t end = byte_of_char(line, indent + kAround);
        if (begin > 0) before = "…";
        if (end < line.size()) after = "…";
        line = line.substr(begin, end - begin);
        indent = indent - from + (begin > 0 ? 1 : 0);
      }
      std::string shown = before;
      for (const char c : line) shown += c == '\t' ? ' ' : c;
      out += fmt::format("  {}{}\n  {}^\n", shown, after, std::string(indent, ' '));
    }
  } else {
    out = fmt::format("{}: {}: {}\n", file, severity, message);
  }
  if (!hint.empty()) out += fmt::format("  {}: {}\n", fr ? "conseil" : "hint", hint);
  return out;
}

std::string render_unlocated(const Message& text, TextLang lang, const std::string& file, Severity severity) {
  SourceSet sources;
  Diagnostic d{
      severity, {file.empty() ? kNoFile : sources.add(file, ""), 0, 0}, message_text(text, TextLang::English), {}, text,
      {}};
  return render_diagnostic(d, sources, lang);
}

std::string render_all(const Diagnostics& diags, const SourceSet& sources, TextLang lang, SeverityWords words) {
  std::string out;
  for (const Diagnostic& d : diags.sorted()) out += render_diagnostic(d, sources, lang, words);
  if (diags.dropped() > 0)
    out += fmt::format("note: {}\n", message_text(msg(Msg::MoreNotShown, diags.dropped()), lang));
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
  // The edit distance is quadratic in the names' length: a name this long is no typo of a short one,
  // and comparing it with every candidate would cost more than the whole file.
  constexpr std::size_t kLongestSuggested = 100;
  if (name.size() > kLongestSuggested) return {};
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
