// Compiled rulebases as formulas, so that Z3 searches every case at once instead of enumerating them.
//
// A CaseSpace is the set of case files one or several programs can be given: one CaseFact per line a
// case may write (facts matched by name between programs, enumeration members by name). encode()
// executes a Program symbolically over it, one formula per instruction, mirroring runtime/vm.cpp: a
// slot is a pair (known, value); `et`/`ou`/`non` are Kleene's; a rule fires when its condition is known
// and true; an output is decided by the firing rules that no firing overrider sets aside (same value
// or conflict; sets: union; else the default). tests/compiler/smt_test.cpp checks the encoding against
// Machine::evaluate on random cases.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <z3++.h>

#include "analysis/decompile.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"

namespace secretc::smt {

// A symbolic slot: whether it is known, and its value when it is (a Bool for booleans, an Int for
// integers, dates, articles, strings and members; a set has one Bool per member in `bits`).
struct Sym {
  z3::expr known;
  z3::expr value;
  std::vector<z3::expr> bits;
};

// One line a case file may write, shared by the programs. A program reads the line when it declares the
// fact with a compatible type and, for an enumeration, the member written; otherwise the program sees
// the line as absent (its default, or unknown).
struct CaseFact {
  std::string name;
  Type type;                           // as the first program declaring it has it
  std::vector<std::string> members;    // Enum: every program's members, by name
  bool always_written = false;         // a program defaults it to today: a witness always writes it
  std::vector<std::int64_t> fact_of;   // per program: its fact index, or -1
  z3::expr given;                      // the line is written
  z3::expr known;                      // ... with a value, rather than `?`
  z3::expr value;                      // Bool for booleans; Int otherwise (enum: index in members;
                                       // string: index in CaseSpace::strings, or an "other" text)
};

// One line of a witness case, as a case file writes it.
struct WitnessLine {
  std::string name;
  std::string value;            // `vrai`, a member, `2024-05-01`, `"371/1"`, `"texte"`, `?`
  std::vector<bool> readable;   // per program: it knows the fact and the value
};

struct Witness {
  std::vector<WitnessLine> lines;
  // The case file: comment lines (each prefixed with `# `), then one `name = value` per line.
  [[nodiscard]] std::string file_text(const std::vector<std::string>& comments) const;
  // The lines one program reads, as a case file (no comment).
  [[nodiscard]] std::string file_text_for(std::size_t program) const;
};

// Runs a program on the lines of a witness it reads, exactly as `check` runs a case file (parse_case,
// bind_case, the VM): what the solver claims is only ever reported once the VM confirms it. nullopt
// (with the reason in `error`) if the witness does not bind, which would be a bug of the encoding.
std::optional<Result> run_witness(const Program& program, const Witness& witness, std::size_t index,
                                  std::int64_t today, std::string& error);

class CaseSpace {
 public:
  CaseSpace(z3::context& ctx, std::vector<const Program*> programs);

  [[nodiscard]] const std::vector<CaseFact>& facts() const { return facts_; }
  [[nodiscard]] const std::vector<const Program*>& programs() const { return programs_; }
  // What every case satisfies: values in their domains, one line per name.
  [[nodiscard]] z3::expr domain() const;
  // The slots of a program's facts, in fact order.
  [[nodiscard]] std::vector<Sym> fact_slots(std::size_t program) const;
  // The line of case fact f is written and this program reads it.
  [[nodiscard]] z3::expr read_by(std::size_t f, std::size_t program) const;
  // The case a model describes. Texts that are no program's constant are written as fresh ones.
  [[nodiscard]] Witness witness(const z3::model& model, Keywords keywords) const;

 private:
  z3::expr representable(const CaseFact& f, std::size_t program) const;
  z3::expr mapped_value(const CaseFact& f, std::size_t program) const;

  z3::context& ctx_;
  std::vector<const Program*> programs_;
  std::vector<CaseFact> facts_;
  std::vector<std::string> strings_;      // every program's string constants, each text once
  std::vector<std::string> other_texts_;  // one fresh text per string fact: "other" values
  z3::expr today_;                        // the day of a `today` default left unwritten
};

// A program executed symbolically over a case space.
struct OutputSym {
  z3::expr conflict;              // scalar: two applying rules set different values
  z3::expr known;                 // scalar: decided (or defaulted) without conflict
  z3::expr value;                 // scalar: member index in the program's enumeration
  std::vector<z3::expr> bits;     // set: one per member
};

struct ProgramSym {
  std::vector<z3::expr> fires;    // per rule: in force and its `quand` is true
  std::vector<z3::expr> applies;  // per rule: fires and no firing rule overrides it
  std::vector<std::optional<Sym>> when;  // per rule: its `quand` alone (nullopt: none, i.e. always)
  std::vector<OutputSym> outputs;
  std::vector<Sym> slots;         // every slot once the code has run (definitions keep their value)
};

ProgramSym encode(z3::context& ctx, const Program& program, std::vector<Sym> fact_slots);

// Three-valued equality of two symbolic booleans: same knownness, and same value when known.
z3::expr same_truth(const Sym& a, const Sym& b);

enum class Answer : std::uint8_t { Yes, No, Unknown };  // sat, unsat, or the solver gave up (time)

// Questions about a case space, each within a time limit.
class Search {
 public:
  Search(z3::context& ctx, const CaseSpace& space, unsigned timeout_ms);

  // Is there a case where `goal` holds?
  Answer exists(const z3::expr& goal);

  // A case where `goal` holds, minimal in the lines it writes: without any one of them (its fact then
  // takes its default, or is unknown), the goal no longer holds. Lines some program cannot read are
  // dropped first. Dates are set to `prefer_day` where the goal allows it, so that a witness reads like
  // a situation of that day rather than an arbitrary one. nullopt when there is none (answer No) or
  // the solver gave up (answer Unknown).
  std::optional<Witness> witness(const z3::expr& goal, Keywords keywords, std::optional<std::int64_t> prefer_day,
                                 Answer& answer);

 private:
  z3::context& ctx_;
  const CaseSpace& space_;
  z3::solver solver_;
};

}  // namespace secretc::smt
