// A case as written (name = value entries, from a case file or a rule file's `test` block), and the
// binder that turns it into one value per fact of a program, checking names and types.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/diagnostics.hpp"
#include "runtime/program.hpp"

namespace secretc {

// How a value was written; the binder decides what it means from the fact's type.
enum class CaseValueKind : std::uint8_t {
  Word,     // a bare word: true/false/oui/non/vrai/faux, an enumeration member, `inconnu`
  Date,     // YYYY-MM-DD (not yet validated)
  Integer,  // digits, optionally signed
  String,   // the unescaped text of a double-quoted string
  Article,  // an article-shaped bare token such as 371/1 or 405ter (rule-file tests only)
  Unknown,  // `?` or `inconnu`
};

struct CaseEntry {
  std::string name;
  CaseValueKind kind = CaseValueKind::Word;
  std::string text;
  Location name_at;
  Location value_at;
  // The fact `name` names, when the reader already looked it up (kNoFact: not looked up, or none);
  // bind_case trusts it only after comparing the names.
  std::uint32_t fact = Program::kNoFact;
};

// An entry as a reader holds it, its texts not copied: what the binder reads. A reader of many cases
// (`check --jsonl`) makes these over its own buffers instead of CaseEntry's strings.
struct CaseEntryView {
  std::string_view name;
  CaseValueKind kind = CaseValueKind::Word;
  std::string_view text;
  Location name_at;
  Location value_at;
  std::uint32_t fact = Program::kNoFact;  // as CaseEntry::fact

  CaseEntryView() = default;
  CaseEntryView(std::string_view n, CaseValueKind k, std::string_view t, Location name_loc, Location value_loc,
                std::uint32_t f)
      : name(n), kind(k), text(t), name_at(name_loc), value_at(value_loc), fact(f) {}
  explicit CaseEntryView(const CaseEntry& e)
      : name(e.name), kind(e.kind), text(e.text), name_at(e.name_at), value_at(e.value_at), fact(e.fact) {}
};

struct BoundCase {
  std::vector<Value> facts;                // one per program fact
  std::vector<bool> given;                 // written in the case (even as `?`)
  std::vector<std::string> extra_strings;  // case strings that are no program constant; id = strings.size() + i

  // No fact given yet, for `facts_count` facts (the storage kept).
  void reset(std::size_t facts_count);
  // A fact's value as text (dates as YYYY-MM-DD, articles normalised, strings unquoted).
  [[nodiscard]] std::string format(const Program& program, std::uint32_t fact) const;
};

// A word folded for comparison: lower case, French accents off, `-` and `'` as `_` (docs/case-files.md §1).
std::string fold_word(std::string_view word);

// What the binder gives, in pieces, for a reader that reads values itself (`check --jsonl`'s lines): a
// fact the case does not give has its default (a constant, or `today`), else no value; an enumeration
// member written exactly as the rulebase writes it is that member (any other word: bind_case).
Value default_of(const FactInfo& fact, std::int64_t today);
std::optional<std::uint32_t> exact_member(const Program& program, const FactInfo& fact, std::string_view word);

// Binds entries to the program's facts. Reports every error (unknown name with a suggestion, wrong
// type, unknown member, the same name twice) to diags; the result is meaningful only without errors.
// today: the day used for facts whose default is `today` (days since 1970-01-01).
BoundCase bind_case(const Program& program, const std::vector<CaseEntry>& entries, std::int64_t today,
                    Diagnostics& diags);
// The same over views, into `out`, whose storage is reused (one binder for every case of a batch).
void bind_case(const Program& program, std::span<const CaseEntryView> entries, std::int64_t today, Diagnostics& diags,
               BoundCase& out);

}  // namespace secretc
