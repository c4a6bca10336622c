// The case binder: entries as written → one value per fact of a program, with every error reported.
// Standard library and fmt only (runtime/ never sees the front end).

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "runtime/case.hpp"
#include "runtime/same_text.hpp"

namespace secretc {
namespace {

constexpr std::size_t kMembersListed = 12;  // an enumeration this small is listed whole in a hint
constexpr std::size_t kMembersSampled = 6;  // otherwise, this many members are shown
constexpr std::size_t kNeighboursListed = 8;

const std::vector<std::string>& bool_words() {
  static const std::vector<std::string> words{"true", "false", "oui", "non", "vrai", "faux"};
  return words;
}

[[gnu::always_inline]] inline std::optional<bool> bool_of(std::string_view word) {
  // By length first: one comparison for each word.
  switch (word.size()) {
    case 3:
      if (same_text(word, "oui")) return true;
      if (same_text(word, "non")) return false;
      break;
    case 4:
      if (same_text(word, "true") || same_text(word, "vrai")) return true;
      if (same_text(word, "faux")) return false;
      break;
    case 5:
      if (same_text(word, "false")) return false;
      break;
    default:
      break;
  }
  return std::nullopt;
}

// The member written exactly as the rulebase writes it (exact_member, inline for the binder's loop).
[[gnu::always_inline]] inline std::optional<std::uint32_t> find_member(const Program& program, const FactInfo& fact,
                                                                       std::string_view word) {
  if (fact.type.enum_id >= program.enums.size()) return std::nullopt;
  const std::vector<std::string>& members = program.enums[fact.type.enum_id].members;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (same_text(members[i], word)) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

}  // namespace

// How a word is compared when it is not written exactly as the rulebase writes it (docs/case-files.md
// §1): lower case, the accents of French taken off (é → e, ç → c, œ → oe), and `-`, `'` and `’` read
// as `_`. `Médecin` → `medecin`, `Assistante-Sociale` → `assistante_sociale`, `Écrite` → `ecrite`.
std::string fold_word(std::string_view word) {
  // Two-byte UTF-8 letters of Latin-1 and Latin Extended-A that French writes, lower and upper case.
  static constexpr std::pair<std::string_view, std::string_view> kFolds[] = {
      {"à", "a"},  {"â", "a"},  {"ä", "a"},  {"á", "a"}, {"ã", "a"}, {"å", "a"}, {"À", "a"}, {"Â", "a"}, {"Ä", "a"},
      {"Á", "a"},  {"ç", "c"},  {"Ç", "c"},  {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"É", "e"}, {"È", "e"},
      {"Ê", "e"},  {"Ë", "e"},  {"î", "i"},  {"ï", "i"}, {"í", "i"}, {"ì", "i"}, {"Î", "i"}, {"Ï", "i"}, {"ô", "o"},
      {"ö", "o"},  {"ó", "o"},  {"ò", "o"},  {"õ", "o"}, {"Ô", "o"}, {"Ö", "o"}, {"ù", "u"}, {"û", "u"}, {"ü", "u"},
      {"ú", "u"},  {"Ù", "u"},  {"Û", "u"},  {"Ü", "u"}, {"ÿ", "y"}, {"Ÿ", "y"}, {"ñ", "n"}, {"Ñ", "n"}, {"œ", "oe"},
      {"Œ", "oe"}, {"æ", "ae"}, {"Æ", "ae"}, {"’", "_"}};
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size();) {
    const char c = word[i];
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
      ++i;
    } else if (c == '-' || c == '\'' || c == ' ') {
      out += '_';
      ++i;
    } else if ((static_cast<unsigned char>(c) & 0x80U) == 0) {
      out += c;
      ++i;
    } else {
      bool folded = false;
      for (const auto& [from, to] : kFolds) {
        if (word.substr(i, from.size()) == from) {
          out += to;
          i += from.size();
          folded = true;
          break;
        }
      }
      if (!folded) {
        out += c;
        ++i;
      }
    }
  }
  return out;
}

namespace {

// A value as the case file wrote it, for messages: strings in quotes, with their escapes back.
std::string as_written(const CaseEntryView& e) {
  if (e.kind != CaseValueKind::String) return std::string(e.text);
  std::string out = "\"";
  for (const char c : e.text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string backticked_list(const std::vector<std::string>& names, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("`{}`", names[i]);
  }
  return out;
}

class Binder {
 public:
  Binder(const Program& program, std::int64_t today, Diagnostics& diags)
      : program_(program), today_(today), diags_(diags) {}

  void bind(std::span<const CaseEntryView> entries, BoundCase& out) {
    const std::size_t n = program_.facts.size();
    out.reset(n);
    thread_local std::vector<std::size_t> first;  // per fact, the entry that gave it (when given)
    first.resize(n);
    // Per fact, the call that gave it last: given in this case when it is this call's number. (Read and
    // written by entry, vector<bool>'s bits cost more than the rest of binding a word; `out.given` is
    // written once, at the end.)
    thread_local std::vector<std::uint32_t> given_in;
    thread_local std::uint32_t call = 0;
    given_in.resize(n, 0);
    if (++call == 0) {  // after 2^32 cases: forget every number once
      std::fill(given_in.begin(), given_in.end(), 0);
      call = 1;
    }
    // The cases of a batch mostly give the same facts in the same order: the fact named at this place
    // in the thread's previous case is tried before the hashed lookup (a guess, checked by its name).
    thread_local std::vector<std::uint32_t> last_order;
    if (last_order.size() < entries.size()) last_order.resize(entries.size(), Program::kNoFact);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const CaseEntryView& e = entries[k];
      std::optional<std::uint32_t> found;
      if (e.fact < n && same_text(program_.facts[e.fact].name, e.name)) {
        found = e.fact;
      } else if (const std::uint32_t guess = last_order[k];
                 guess < n && same_text(program_.facts[guess].name, e.name)) {
        found = guess;
      } else {
        found = program_.find_fact(e.name);
        if (found) last_order[k] = *found;
      }
      if (!found) {
        unknown_fact(e);
        continue;
      }
      const std::uint32_t fact = *found;
      const std::optional<Value> value = convert(e, program_.facts[fact]);
      if (given_in[fact] == call) {
        diags_.error(e.name_at, msg(Msg::CaseGivenTwice, e.name));
        diags_.note(entries[first[fact]].name_at, msg(Msg::CaseFirstGivenHere, e.name));
        continue;
      }
      first[fact] = k;
      given_in[fact] = call;
      if (value) out.facts[fact] = *value;
    }

    // Through an iterator: a bit's word and mask follow from the last one's, not divided out anew.
    auto bit = out.given.begin();
    for (std::size_t i = 0; i < n; ++i, ++bit) {
      if (given_in[i] == call) {
        *bit = true;
      } else {
        out.facts[i] = default_of(program_.facts[i], today_);
      }
    }
    out.extra_strings = std::move(extra_strings_);
  }

 private:
  // A word read as another: said in a note, so that the reader sees what was understood.
  void read_as(const CaseEntryView& e, std::string_view as) {
    if (hints_wanted()) diags_.note(e.value_at, msg(Msg::CaseReadAs, e.text, as));
  }

  // Past the diagnostics' limit an error is only counted: skip the work of a suggestion.
  [[nodiscard]] bool hints_wanted() const { return diags_.all().size() < Diagnostics::kMaxKept; }

  void unknown_fact(const CaseEntryView& e) {
    Message hint;
    if (hints_wanted()) {
      if (names_.empty()) {
        for (const FactInfo& f : program_.facts) names_.push_back(f.name);
      }
      const std::string close = closest_name(e.name, names_);
      if (!close.empty()) {
        hint = msg(Msg::DidYouMean, close);
      } else {
        hint = neighbours(e.name);
      }
    }
    diags_.error(e.name_at, msg(Msg::CaseUnknownFact, e.name), std::move(hint));
  }

  // The facts that share the first part of an unknown name: `victime.age` → `victime.mineur`, ...
  Message neighbours(std::string_view name) const {
    const std::string_view head = name.substr(0, name.find('.'));
    if (head.size() == name.size()) return {};
    std::vector<std::string> same;
    std::size_t total = 0;
    for (const std::string& candidate : names_) {
      if (candidate.size() > head.size() && candidate.compare(0, head.size(), head) == 0 &&
          candidate[head.size()] == '.') {
        if (same.size() < kNeighboursListed) same.push_back(candidate);
        ++total;
      }
    }
    if (same.empty()) return {};
    return msg(Msg::CaseFactsUnder, head, backticked_list(same, same.size()), total > same.size() ? ", …" : "");
  }

  // The value of an entry for a fact, or nullopt after reporting why it cannot be one.
  std::optional<Value> convert(const CaseEntryView& e, const FactInfo& fact) {
    if (e.kind == CaseValueKind::Unknown || (e.kind == CaseValueKind::Word && e.text == "inconnu")) {
      return Value::unknown();
    }
    switch (fact.type.kind) {
      case TypeKind::Bool:
        // The words of most cases, read here; any other goes to to_bool, which folds it or says why not
        // (as to_member, below, for a member not written exactly as the rulebase writes it).
        if (e.kind == CaseValueKind::Word) {
          if (const auto b = bool_of(e.text)) return Value::of(*b ? 1 : 0);
        }
        return to_bool(e);
      case TypeKind::Enum:
        if (e.kind == CaseValueKind::Word) {
          if (const auto exact = find_member(program_, fact, e.text)) return Value::of(*exact);
        }
        return to_member(e, fact);
      case TypeKind::Date:
        return to_date(e);
      case TypeKind::Integer:
        return to_integer(e);
      case TypeKind::String:
        return to_string(e);
      case TypeKind::Article:
        return to_article(e);
      case TypeKind::Set:
        break;
    }
    diags_.error(e.name_at, msg(Msg::CaseSetFact, e.name));
    return std::nullopt;
  }

  std::optional<Value> to_bool(const CaseEntryView& e) {
    if (e.kind == CaseValueKind::Word) {  // not a yes/no as written: convert has tried it
      const std::string folded = fold_word(e.text);
      if (const auto b = bool_of(folded)) {
        read_as(e, folded);
        return Value::of(*b ? 1 : 0);
      }
    }
    Message hint;
    if (hints_wanted()) {
      if (e.kind == CaseValueKind::String && bool_of(e.text)) {
        hint = msg(Msg::WithoutQuotes, e.text);
      } else if (const std::string close = closest_name(fold_word(e.text), bool_words()); !close.empty()) {
        hint = msg(Msg::DidYouMean, close);
      }
    }
    diags_.error(e.value_at, msg(Msg::CaseNotBool, as_written(e)), std::move(hint));
    return std::nullopt;
  }

  std::optional<Value> to_member(const CaseEntryView& e, const FactInfo& fact) {
    static const std::vector<std::string> kNoMembers;
    const bool known_enum = fact.type.enum_id < program_.enums.size();
    const std::vector<std::string>& members = known_enum ? program_.enums[fact.type.enum_id].members : kNoMembers;
    if (e.kind == CaseValueKind::Word) {  // not a member as written: convert has tried it
      // Written otherwise (capitals, accents, a synonym the rulebase declares): read so only when one
      // member answers; two would be a guess.
      const std::string folded = fold_word(e.text);
      std::optional<std::size_t> found;
      bool ambiguous = false;
      const auto consider = [&](std::size_t i) {
        if (found && *found != i) ambiguous = true;
        found = i;
      };
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (fold_word(members[i]) == folded) consider(i);
        if (known_enum && i < program_.enums[fact.type.enum_id].synonyms.size()) {
          for (const std::string& synonym : program_.enums[fact.type.enum_id].synonyms[i]) {
            if (fold_word(synonym) == folded) consider(i);
          }
        }
      }
      if (found && !ambiguous) {
        read_as(e, members[*found]);
        return Value::of(static_cast<std::int64_t>(*found));
      }
      if (found) {
        std::vector<std::string> which;
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (fold_word(members[i]) == folded) which.push_back(members[i]);
        }
        diags_.error(e.value_at, msg(Msg::CaseSeveralMembers, e.text),
                     which.empty() ? Message{} : msg(Msg::TheMembersAre, backticked_list(which, which.size())));
        return std::nullopt;
      }
    }
    // The enumeration is named in the message; an inline one (no name) by its fact. The message is
    // rendered in the reader's language as a whole, so both forms are given to it.
    const bool named = known_enum && !program_.enums[fact.type.enum_id].name.empty();
    Message hint;
    if (hints_wanted()) {
      const bool quoted_member =
          e.kind == CaseValueKind::String && std::find(members.begin(), members.end(), e.text) != members.end();
      const std::string close = quoted_member ? std::string() : closest_name(fold_word(e.text), members);
      if (quoted_member) {
        hint = msg(Msg::WithoutQuotes, e.text);
      } else if (!close.empty()) {
        hint = msg(Msg::DidYouMean, close);
      } else if (members.size() <= kMembersListed) {
        hint = msg(Msg::TheMembersAre, backticked_list(members, members.size()));
      } else {
        hint = msg(Msg::EnumHasMembers, named ? fmt::format("`{}`", program_.enums[fact.type.enum_id].name) : fact.name,
                   members.size(), backticked_list(members, kMembersSampled));
      }
    }
    diags_.error(
        e.value_at,
        named ? msg(Msg::CaseNotMember, as_written(e), fmt::format("`{}`", program_.enums[fact.type.enum_id].name))
              : msg(Msg::CaseNotMemberOf, as_written(e), fact.name),
        std::move(hint));
    return std::nullopt;
  }

  std::optional<Value> to_date(const CaseEntryView& e) {
    if (e.kind == CaseValueKind::Date) {
      if (const auto days = parse_date(e.text)) return Value::of(*days);
      diags_.error(e.value_at, msg(Msg::CaseInvalidDate, e.text), msg(Msg::CaseInvalidDateHint));
      return std::nullopt;
    }
    diags_.error(e.value_at, msg(Msg::CaseNotDate, as_written(e)));
    return std::nullopt;
  }

  std::optional<Value> to_integer(const CaseEntryView& e) {
    if (e.kind == CaseValueKind::Integer) {
      std::string_view digits = e.text;
      if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);  // from_chars refuses `+`
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (ec == std::errc() && end == digits.data() + digits.size()) return Value::of(n);
      if (ec == std::errc::result_out_of_range) {
        diags_.error(e.value_at, msg(Msg::CaseIntegerRange, e.text), msg(Msg::CaseIntegerRangeHint));
        return std::nullopt;
      }
    }
    diags_.error(e.value_at, msg(Msg::CaseNotInteger, as_written(e)));
    return std::nullopt;
  }

  std::optional<Value> to_string(const CaseEntryView& e) {
    if (e.kind == CaseValueKind::String) return Value::of(intern(e.text));
    diags_.error(e.value_at, msg(Msg::CaseNotString, e.text));
    return std::nullopt;
  }

  std::optional<Value> to_article(const CaseEntryView& e) {
    if (e.kind == CaseValueKind::String || e.kind == CaseValueKind::Integer || e.kind == CaseValueKind::Article) {
      if (const auto key = parse_article(e.text)) return Value::of(*key);
    }
    diags_.error(e.value_at, msg(Msg::CaseNotArticle, as_written(e)));
    return std::nullopt;
  }

  // Equal texts get equal ids: a program constant's own id, else one id per distinct case string.
  std::int64_t intern(std::string_view text) {
    if (program_ids_.empty() && !program_.strings.empty()) {
      for (std::size_t i = program_.strings.size(); i-- > 0;) {
        program_ids_[program_.strings[i]] = static_cast<std::int64_t>(i);  // the first one wins
      }
    }
    if (const auto found = program_ids_.find(text); found != program_ids_.end()) return found->second;
    const auto [it, added] = extra_ids_.try_emplace(
        std::string(text), static_cast<std::int64_t>(program_.strings.size() + extra_strings_.size()));
    if (added) extra_strings_.emplace_back(text);
    return it->second;
  }

  const Program& program_;
  std::int64_t today_;
  Diagnostics& diags_;
  std::vector<std::string> names_;  // the facts' names, built for the first suggestion
  std::unordered_map<std::string_view, std::int64_t> program_ids_;
  std::unordered_map<std::string, std::int64_t> extra_ids_;
  std::vector<std::string> extra_strings_;
};

}  // namespace

Value default_of(const FactInfo& fact, std::int64_t today) {
  if (fact.default_kind == DefaultKind::Constant) return fact.default_value;
  if (fact.default_kind == DefaultKind::Today) return Value::of(today);
  return Value::unknown();
}

std::optional<std::uint32_t> exact_member(const Program& program, const FactInfo& fact, std::string_view word) {
  return find_member(program, fact, word);
}

BoundCase bind_case(const Program& program, const std::vector<CaseEntry>& entries, std::int64_t today,
                    Diagnostics& diags) {
  std::vector<CaseEntryView> views;
  views.reserve(entries.size());
  for (const CaseEntry& e : entries) views.emplace_back(e);
  BoundCase out;
  Binder(program, today, diags).bind(views, out);
  return out;
}

void bind_case(const Program& program, std::span<const CaseEntryView> entries, std::int64_t today, Diagnostics& diags,
               BoundCase& out) {
  Binder(program, today, diags).bind(entries, out);
}

void BoundCase::reset(std::size_t facts_count) {
  facts.assign(facts_count, Value::unknown());
  // vector<bool>'s assign goes bit by bit; fill over its whole words is a memset.
  if (given.size() == facts_count) {
    std::fill(given.begin(), given.end(), false);
  } else {
    given.assign(facts_count, false);
  }
  extra_strings.clear();
}

std::string BoundCase::format(const Program& program, std::uint32_t fact) const {
  if (fact >= facts.size() || fact >= program.facts.size() || !facts[fact].known) return "?";
  const Value& v = facts[fact];
  const Type t = program.facts[fact].type;
  // As a case file writes it: articles and texts unquoted, texts the case brought (extra_strings) too.
  switch (t.kind) {
    case TypeKind::Article:
      return format_article(v.payload);
    case TypeKind::String: {
      if (v.payload < 0) return "?";
      const auto id = static_cast<std::size_t>(v.payload);
      if (id < program.strings.size()) return program.strings[id];
      if (id - program.strings.size() < extra_strings.size()) return extra_strings[id - program.strings.size()];
      return "?";
    }
    default:
      return program.format_value(t, v);
  }
}

}  // namespace secretc
