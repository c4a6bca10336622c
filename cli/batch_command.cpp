#include "cli/batch_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/inputs.hpp"
#include "cli/json_case.hpp"
#include "cli/json_writer.hpp"
#include "cli/report.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

namespace secretc {

namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// One case to answer: a line of JSON Lines, or a case file. Its text is in its batch's `text`.
struct Unit {
  enum class Kind : std::uint8_t { Line, LineTooLong, FactFile };
  Kind kind = Kind::Line;
  std::uint32_t source = 0;  // the input it came from (Inputs::names)
  std::uint64_t line = 0;    // 1-based, for a line
  std::size_t begin = 0;     // the line, or the case file's path: `size` bytes of the batch's text from here
  std::size_t size = 0;
};

// What the answers of some cases add up to, for --summary.
struct Tally {
  std::map<std::string, std::uint64_t> by_value;  // the verdict's value to act on
  std::vector<std::uint64_t> by_member;           // the same while it is a member, by its number (cheaper)
  std::uint64_t cases = 0, unsettled = 0, invalid = 0, conflicts = 0;

  void add(const Tally& t) {
    for (const auto& [v, n] : t.by_value) by_value[v] += n;
    if (by_member.size() < t.by_member.size()) by_member.resize(t.by_member.size());
    for (std::size_t m = 0; m < t.by_member.size(); ++m) by_member[m] += t.by_member[m];
    cases += t.cases;
    unsettled += t.unsettled;
    invalid += t.invalid;
    conflicts += t.conflicts;
  }
};

// Batches are used again once written (Pipeline::submit gives one back), so that their vectors and
// strings keep their room: reading a line costs no allocation.
struct Batch {
  std::vector<Unit> units;
  // The units' texts one after the other: a line is read where it is.
  std::string text;
  std::string out;  // the answers, one line each
  Tally tally;
  std::uint64_t bytes = 0;  // input bytes of JSON Lines these units came from (the progress line)

  void add(Unit::Kind kind, std::uint32_t source, std::uint64_t line, std::string_view t) {
    units.push_back(Unit{kind, source, line, text.size(), t.size()});
    text.append(t);
  }
  [[nodiscard]] std::string_view text_of(const Unit& u) const { return std::string_view(text).substr(u.begin, u.size); }
  void clear() {
    units.clear();
    text.clear();
    out.clear();
    tally = Tally{};
    bytes = 0;
  }
};

// The output --summary counts: `verdict`, or else the first scalar output.
std::optional<std::uint32_t> summary_output(const Program& program) {
  if (const auto v = program.find_output("verdict")) return v;
  for (std::uint32_t o = 0; o < program.outputs.size(); ++o) {
    if (program.outputs[o].kind == OutputKind::Scalar) return o;
  }
  return std::nullopt;
}

// The members of answers already written (report_json_members' text), for the cases whose answer is a
// function of their Result and their day alone: every fact known, no proviso, no dependence, no « pourquoi
// pas ? » — then nothing else of the case is read by the report. A batch of a million cases has a few
// hundred such answers; each is written once and copied after (the report costs a fifth of a case).
// Direct-mapped by a hash of the result, a slot taken by the last answer that fell on it: memory stays
// bounded whatever the number of cases, and an answer is used only for an equal Result and day.
class AnswerCache {
 public:
  static bool applies(const CaseAnalysis& a, bool why_not) {
    return !why_not && !a.result.uncertain && a.result.provisos.empty() && a.dependences.empty() &&
           a.result.missing.empty();
  }
  // The text for this result and day, or null (then `slot` is where to keep it, with keep()).
  const std::string* find(const Result& r, std::optional<std::int64_t> day, std::size_t& slot) {
    if (slots_.empty()) slots_.resize(kSlots);
    slot = hash(r, day) & (kSlots - 1);
    const Slot& s = slots_[slot];
    return s.used && s.day == day && s.result == r ? &s.text : nullptr;
  }
  void keep(std::size_t slot, const Result& r, std::optional<std::int64_t> day, std::string_view text) {
    Slot& s = slots_[slot];
    s.used = true;
    s.result = r;
    s.day = day;
    s.text.assign(text);
  }

 private:
  static constexpr std::size_t kSlots = 1024;
  struct Slot {
    bool used = false;
    Result result;
    std::optional<std::int64_t> day;
    std::string text;
  };
  static std::size_t hash(const Result& r, std::optional<std::int64_t> day) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    const auto mix = [&h](std::uint64_t x) { h = (h ^ x) * 0x100000001b3ULL; };
    mix(day ? static_cast<std::uint64_t>(*day) : ~std::uint64_t{0});
    for (const OutputValue& o : r.outputs) {
      mix(static_cast<std::uint64_t>(o.value.payload));
      mix(o.possible);
      mix((o.value.known ? 1U : 0U) | (o.settled ? 2U : 0U) | (o.conflict ? 4U : 0U) | (o.may_be_unknown ? 8U : 0U));
    }
    for (const std::uint32_t f : r.fired) mix(f);
    for (const Overridden& o : r.overridden) mix((std::uint64_t{o.rule} << 32U) | o.by);
    mix(r.conflicts.size());
    return static_cast<std::size_t>(h ^ (h >> 29U));
  }
  std::vector<Slot> slots_;
};

// Answers batches; one per thread (each has its own Machine over the shared Program).
class Answerer {
 public:
  Answerer(const Program& program, TextLang lang, std::int64_t today, bool why_not,
           const std::vector<std::string>& names)
      : program_(program),
        machine_(program),
        parts_(program, lang),
        lang_(lang),
        today_(today),
        why_not_(why_not),
        names_(names),
        verdict_(summary_output(program)) {}

  void answer(Batch& b) {
    b.out.clear();
    for (const Unit& u : b.units) {
      ++b.tally.cases;
      if (u.kind == Unit::Kind::FactFile) {
        fact_file(std::string(b.text_of(u)), b.out, b.tally);
      } else {
        line_case(u, b.text_of(u), b.out, b.tally);
      }
      b.out += '\n';
    }
  }

 private:
  // A line's `case`: its input's name, `:`, its number (in name_, which keeps its room).
  const std::string& line_name(const Unit& u) {
    name_ = names_[u.source];
    name_ += ':';
    name_ += std::to_string(u.line);
    return name_;
  }

  static void write(std::string& out, const ojson& j) { JsonWriter(out).value(j); }

  void line_case(const Unit& u, std::string_view text, std::string& out, Tally& t) {
    if (u.kind == Unit::Kind::LineTooLong) {
      ++t.invalid;
      const JsonCaseProblem p{Severity::Error, "", 0, 0, msg(Msg::JsonLineTooLong, kMaxCaseFileBytes), {}};
      ojson j{{"case", line_name(u)}, {"line", u.line}};
      j["errors"] = problems_json({p}, lang_)["errors"];
      write(out, j);
      return;
    }
    JsonCase& c = line_;
    read_json_line(program_, text, today_, c);
    // A syntax error is located in the input: the line's number in it, the column in the line.
    for (JsonCaseProblem& p : c.problems) {
      if (p.line > 0) p.line = static_cast<std::uint32_t>(u.line);
    }
    const std::optional<ojson> id = c.id.empty() ? std::nullopt : std::optional<ojson>(ojson::parse(c.id));
    if (!c.ok()) {
      ++t.invalid;
      ojson head{{"case", line_name(u)}};
      if (id) head["id"] = *id;
      head["line"] = u.line;
      ojson problems = problems_json(c.problems, lang_);
      head["errors"] = std::move(problems["errors"]);
      head["notes"] = std::move(problems["notes"]);
      write(out, head);
      return;
    }
    const std::optional<ojson> notes =
        c.problems.empty() ? std::nullopt : std::optional<ojson>(problems_json(c.problems, lang_)["notes"]);
    answered(out, line_name(u), id ? &*id : nullptr, u.line, c.bound, notes && !notes->empty() ? &*notes : nullptr, t);
  }

  void fact_file(const std::string& path, std::string& out, Tally& t) {
    SourceSet sources;
    Diagnostics diags;
    std::string text;
    Message error;
    BoundCase bound;
    if (!read_file(path, text, kMaxCaseFileBytes, error)) {
      diags.error({}, error);
    } else {
      const std::uint32_t file = sources.add(path, std::move(text));
      const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
      if (!diags.has_errors()) bound = bind_case(program_, entries, today_, diags);
    }
    ojson problems = diagnostics_json(diags, sources, lang_);
    if (diags.has_errors()) {
      ++t.invalid;
      ojson head{{"case", path}};
      head["errors"] = std::move(problems["errors"]);
      head["notes"] = std::move(problems["notes"]);
      write(out, head);
      return;
    }
    answered(out, path, nullptr, 0, bound, problems["notes"].empty() ? nullptr : &problems["notes"], t);
  }

  // The object of `check --format json`, with `case` and then `id` and `line` (for a line), with the
  // notes on forgiven words and the conflicts, if any; written without building a tree of it.
  void answered(std::string& out, std::string_view name, const ojson* id, std::uint64_t line, const BoundCase& bound,
                const ojson* notes, Tally& t) {
    analyse_case(machine_, bound, why_not_, analysis_);
    const CaseAnalysis& a = analysis_;
    const CaseReport report{name,   &program_, &bound, &a.result, &a.dependences, why_not_ ? &a.near_misses : nullptr,
                            &parts_};
    JsonWriter w(out);
    w.begin_object().member("case", name);
    if (id != nullptr) w.key("id").value(*id);
    if (line != 0) w.member("line", line);
    if (AnswerCache::applies(a, why_not_)) {
      const std::optional<std::int64_t> day = case_day(program_, bound);  // the report's own
      std::size_t slot = 0;
      if (const std::string* text = answers_.find(a.result, day, slot)) {
        w.members(*text);
      } else {
        const std::size_t from = out.size();
        report_json_members(w, report, lang_);
        answers_.keep(slot, a.result, day, std::string_view(out).substr(from));
      }
    } else {
      report_json_members(w, report, lang_);
    }
    if (notes != nullptr) w.key("notes").value(*notes);
    if (!a.result.conflicts.empty()) {
      ++t.conflicts;
      w.key("errors").begin_array();
      for (const Conflict& c : a.result.conflicts) {
        const Message m = msg(Msg::CaseConflict, program_.rules[c.first].name, program_.rules[c.second].name,
                              program_.outputs[c.output].name);
        w.begin_object().member("message", message_text(m, lang_)).end_object();
      }
      w.end_array();
    }
    w.end_object();
    if (verdict_) {
      const OutputInfo& info = program_.outputs[*verdict_];
      const OutputValue& v = a.result.outputs[*verdict_];
      // The value as the answer shows it: a member's name (counted by its number until the summary),
      // or else its JSON (`null`, a set's array).
      if (info.kind == OutputKind::Scalar && v.value.known && !v.conflict) {
        const auto member = static_cast<std::size_t>(v.value.payload);
        if (t.by_member.size() <= member) t.by_member.resize(member + 1);
        ++t.by_member[member];
      } else {
        std::string shown;
        JsonWriter sw(shown);
        output_value_json(sw, program_, *verdict_, v);
        ++t.by_value[shown];
      }
      if (!v.settled) ++t.unsettled;
    }
  }

  const Program& program_;
  Machine machine_;
  JsonParts parts_;
  CaseAnalysis analysis_;  // kept from one case to the next, for its room
  AnswerCache answers_;
  TextLang lang_;
  std::int64_t today_;
  bool why_not_;
  const std::vector<std::string>& names_;
  std::optional<std::uint32_t> verdict_;
  std::string name_;  // line_name's
  JsonCase line_;     // the line read, kept from one line to the next for its room
};

// The inputs named on the command line, resolved before any case is answered: a folder's case files
// are listed (recursively, in name order), JSON Lines files are opened.
struct Inputs {
  struct Input {
    bool jsonl = false;
    int fd = -1;                     // JSON Lines: the open file (0: standard input)
    std::vector<std::string> facts;  // case files
  };
  std::vector<Input> inputs;
  std::vector<std::string> names;  // per input, the name a case's `case` starts with
  std::uint64_t jsonl_bytes = 0;   // the size of the JSON Lines inputs, when all are regular files
  std::uint64_t fact_files = 0;
  bool size_known = true;

  ~Inputs() {
    for (const Input& i : inputs) {
      if (i.fd > 0) ::close(i.fd);
    }
  }
};

bool resolve(const std::vector<std::string>& args, Inputs& in, std::string& err, TextLang lang) {
  std::vector<std::string> all = args.empty() ? std::vector<std::string>{"-"} : args;
  bool stdin_taken = false;
  for (const std::string& a : all) {
    Inputs::Input input;
    std::error_code ec;
    if (a == "-") {
      if (stdin_taken) continue;  // standard input is read once, even if named twice
      stdin_taken = true;
      input.jsonl = true;
      input.fd = 0;
      in.size_known = false;
      in.names.emplace_back("<stdin>");
    } else if (fs::is_directory(a, ec)) {
      for (auto it = fs::recursive_directory_iterator(a, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().extension() == ".fact" && it->is_regular_file(ec)) input.facts.push_back(it->path().string());
      }
      if (ec) {
        err += render_unlocated(msg(Msg::FileUnreadable, a), lang);
        return false;
      }
      std::sort(input.facts.begin(), input.facts.end());
      in.fact_files += input.facts.size();
      in.names.push_back(a);
    } else if (a.ends_with(".fact")) {
      input.facts.push_back(a);
      ++in.fact_files;
      in.names.push_back(a);
    } else {
      struct stat st {};
      input.jsonl = true;
      input.fd = ::open(a.c_str(), O_RDONLY | O_CLOEXEC);
      if (input.fd < 0 || ::fstat(input.fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        if (input.fd >= 0) ::close(input.fd);
        err += render_unlocated(errno == ENOENT ? msg(Msg::FileMissing, a) : msg(Msg::FileUnreadable, a), lang);
        return false;
      }
      if (S_ISREG(st.st_mode)) {
        in.jsonl_bytes += static_cast<std::uint64_t>(st.st_size);
      } else {
        in.size_known = false;
      }
      in.names.push_back(a);
    }
    in.inputs.push_back(std::move(input));
  }
  return true;
}

// Writes the answers in the input's order, the progress line, and adds up the tally.
class Writer {
 public:
  Writer(std::FILE* out, std::FILE* err, bool progress, const Inputs& in, TextLang lang)
      : out_(out), err_(err), progress_(progress), lang_(lang), in_(in), start_(Clock::now()) {}

  void write(const Batch& b) {
    std::fwrite(b.out.data(), 1, b.out.size(), out_);
    // Each batch as soon as it is answered: a program feeding a pipe line by line gets each answer.
    std::fflush(out_);
    tally_.add(b.tally);
    bytes_ += b.bytes;
    fact_files_ += static_cast<std::uint64_t>(
        std::count_if(b.units.begin(), b.units.end(), [](const Unit& u) { return u.kind == Unit::Kind::FactFile; }));
    // The first batch at once, then at most five times a second.
    if (progress_ && (!shown_ || Clock::now() - *shown_ > std::chrono::milliseconds(200))) show();
  }

  void finish() {
    std::fflush(out_);
    if (progress_) std::fputs("\r\x1b[K", err_);
  }

  [[nodiscard]] const Tally& tally() const { return tally_; }

 private:
  void show() {
    shown_ = Clock::now();
    const double seconds = std::chrono::duration<double>(*shown_ - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(tally_.cases) / seconds : 0;
    std::string line = message_text(
        msg(Msg::BatchProgress, tally_.cases, static_cast<std::uint64_t>(rate), static_cast<std::uint64_t>(seconds)),
        lang_);
    // Time left: by bytes when every input is a JSON Lines file, by files when all are case files.
    double done = -1;
    if (in_.size_known && in_.fact_files == 0 && in_.jsonl_bytes > 0) {
      done = static_cast<double>(bytes_) / static_cast<double>(in_.jsonl_bytes);
    } else if (in_.size_known && in_.jsonl_bytes == 0 && in_.fact_files > 0) {
      done = static_cast<double>(fact_files_) / static_cast<double>(in_.fact_files);
    }
    if (done > 0 && done <= 1) {
      line += message_text(msg(Msg::BatchProgressLeft, static_cast<std::uint64_t>(done * 100),
                               static_cast<std::uint64_t>(seconds * (1 - done) / done)),
                           lang_);
    }
    fmt::print(err_, "\r\x1b[K{}", line);
    std::fflush(err_);
  }

  std::FILE* out_;
  std::FILE* err_;
  bool progress_;
  TextLang lang_;
  const Inputs& in_;
  Clock::time_point start_;
  std::optional<Clock::time_point> shown_;
  Tally tally_;
  std::uint64_t bytes_ = 0, fact_files_ = 0;
};

// Batches answered by worker threads, written in order by one more; at most `limit` batches are in
// flight, so that memory stays bounded whatever the number of cases.
class Pipeline {
 public:
  Pipeline(unsigned jobs, const Program& program, TextLang lang, std::int64_t today, bool why_not,
           const std::vector<std::string>& names, Writer& writer)
      : writer_(writer), limit_(2 * jobs + 2) {
    for (unsigned i = 0; i < jobs; ++i) {
      workers_.emplace_back([this, &program, lang, today, why_not, &names] {
        Answerer answerer(program, lang, today, why_not, names);
        work(answerer);
      });
    }
    writer_thread_ = std::thread([this] { write(); });
  }

  // Takes a full batch; gives back an empty one to fill next (a written one, when there is).
  Batch submit(Batch&& b) {
    std::unique_lock lock(m_);
    space_.wait(lock, [&] { return in_flight_ < limit_; });
    ++in_flight_;
    todo_.emplace_back(next_++, std::move(b));
    work_.notify_one();
    if (written_batches_.empty()) return Batch{};
    Batch next = std::move(written_batches_.back());
    written_batches_.pop_back();
    return next;
  }

  void finish() {
    {
      std::lock_guard lock(m_);
      closed_ = true;
    }
    work_.notify_all();
    done_.notify_all();
    for (std::thread& t : workers_) t.join();
    writer_thread_.join();
  }

 private:
  void work(Answerer& answerer) {
    for (;;) {
      std::unique_lock lock(m_);
      work_.wait(lock, [&] { return !todo_.empty() || closed_; });
      if (todo_.empty()) return;
      auto [seq, batch] = std::move(todo_.front());
      todo_.pop_front();
      lock.unlock();
      answerer.answer(batch);
      lock.lock();
      finished_.emplace(seq, std::move(batch));
      done_.notify_all();
    }
  }

  void write() {
    for (;;) {
      std::unique_lock lock(m_);
      done_.wait(lock, [&] { return finished_.contains(written_) || (closed_ && in_flight_ == 0); });
      if (!finished_.contains(written_)) return;
      Batch b = std::move(finished_.at(written_));
      finished_.erase(written_);
      lock.unlock();
      writer_.write(b);
      b.clear();
      lock.lock();
      written_batches_.push_back(std::move(b));
      ++written_;
      --in_flight_;
      space_.notify_one();
    }
  }

  Writer& writer_;
  const std::size_t limit_;
  std::mutex m_;
  std::condition_variable work_, done_, space_;
  std::deque<std::pair<std::uint64_t, Batch>> todo_;
  std::map<std::uint64_t, Batch> finished_;
  std::vector<Batch> written_batches_;  // emptied, for submit to give back (no more than `limit_`)
  std::uint64_t next_ = 0, written_ = 0;
  std::size_t in_flight_ = 0;
  bool closed_ = false;
  std::vector<std::thread> workers_;
  std::thread writer_thread_;
};

constexpr std::size_t kLinesPerBatch = 256;  // a batch in flight holds its lines and answers: 6 of them at -j 2
constexpr std::size_t kBatchBytes = std::size_t{1} << 20U;  // or fewer lines, when they are long
constexpr std::size_t kFilesPerBatch = 256;

// Splits JSON Lines input into batches. A chunk that did not fill the buffer (a pipe delivering lines
// one at a time) ends a batch at once, so that an answer never waits for cases not yet written.
template <typename Submit>
bool read_lines(int fd, std::uint32_t source, Submit&& submit, std::string& err, const std::string& name,
                TextLang lang) {
  std::vector<char> buffer(1U << 16U);
  std::string pending;
  bool too_long = false;  // the current line passed the limit: it is skipped to its end
  std::uint64_t line = 0;
  Batch batch;
  const auto end_line = [&](std::string_view text) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (too_long || text.size() > kMaxCaseFileBytes) {
      batch.add(Unit::Kind::LineTooLong, source, line, {});
    } else if (text.find_first_not_of(" \t") != std::string_view::npos) {
      batch.add(Unit::Kind::Line, source, line, text);
    }
    too_long = false;
  };
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err += render_unlocated(msg(Msg::FileUnreadable, name), lang);
      return false;
    }
    if (n == 0) break;
    batch.bytes += static_cast<std::uint64_t>(n);
    std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = chunk.find('\n')) != std::string_view::npos; chunk.remove_prefix(nl + 1)) {
      if (pending.empty()) {
        end_line(chunk.substr(0, nl));
      } else {
        if (!too_long) pending.append(chunk.substr(0, nl));
        end_line(pending);
        pending.clear();
      }
    }
    if (!too_long) pending.append(chunk);
    if (pending.size() > kMaxCaseFileBytes) {
      too_long = true;
      pending.clear();
    }
    if (batch.units.size() >= kLinesPerBatch || batch.text.size() >= kBatchBytes ||
        (static_cast<std::size_t>(n) < buffer.size() && !batch.units.empty())) {
      batch = submit(std::move(batch));
    }
  }
  if (!pending.empty() || too_long) end_line(pending);
  if (!batch.units.empty() || batch.bytes > 0) {
    submit(std::move(batch));
  }
  return true;
}

void print_summary(const Tally& t, const Program& program, std::FILE* err, TextLang lang) {
  const auto say = [&](const Message& m) { fmt::print(err, "{}\n", message_text(m, lang)); };
  fmt::print(err, "secretc: ");
  say(msg(Msg::BatchSummary, t.cases));
  if (const std::optional<std::uint32_t> verdict = summary_output(program)) {
    std::map<std::string, std::uint64_t> by_value = t.by_value;
    const OutputInfo& info = program.outputs[*verdict];
    for (std::size_t m = 0; m < t.by_member.size(); ++m) {
      if (t.by_member[m] != 0) by_value[program.enums[info.enum_id].members[m]] += t.by_member[m];
    }
    for (const auto& [value, n] : by_value) {
      fmt::print(err, "  {} = {} : {}\n", program.outputs[*verdict].name, value, n);
    }
    say(msg(Msg::BatchSummaryUnsettled, t.unsettled));
  }
  say(msg(Msg::BatchSummaryConflicts, t.conflicts));
  say(msg(Msg::BatchSummaryInvalid, t.invalid));
}

}  // namespace

int run_check_jsonl(const BatchOptions& options, std::string_view embedded, std::FILE* out, std::FILE* err) {
  std::string errors;
  const std::optional<Program> program = load_rules(options.check.rules, embedded, errors);
  if (!program) {
    std::fputs(errors.c_str(), err);
    return 1;
  }
  const TextLang lang = options.check.lang == "en"   ? TextLang::English
                        : options.check.lang == "fr" ? TextLang::French
                                                     : program->written_in();
  const std::int64_t today = options.check.date.value_or(today_days());
  Inputs in;
  if (!resolve(options.check.cases, in, errors, lang)) {
    std::fputs(errors.c_str(), err);
    return 1;
  }
  const unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());

  Writer writer(out, err, options.progress, in, lang);
  std::optional<Answerer> inline_answerer;
  std::optional<Pipeline> pipeline;
  // One job: every case answered on this thread, between reads.
  if (jobs == 1) {
    inline_answerer.emplace(*program, lang, today, options.why_not, in.names);
  } else {
    pipeline.emplace(jobs, *program, lang, today, options.why_not, in.names, writer);
  }
  // Answers a full batch (or hands it to the workers) and gives back an empty one to fill.
  const auto submit = [&](Batch&& b) -> Batch {
    if (!inline_answerer) return pipeline->submit(std::move(b));
    inline_answerer->answer(b);
    writer.write(b);
    b.clear();
    return std::move(b);
  };
  bool read_all = true;
  for (std::uint32_t s = 0; s < in.inputs.size() && read_all; ++s) {
    const Inputs::Input& input = in.inputs[s];
    if (input.jsonl) {
      read_all = read_lines(input.fd, s, submit, errors, in.names[s], lang);
      continue;
    }
    Batch batch;
    for (const std::string& path : input.facts) {
      batch.add(Unit::Kind::FactFile, s, 0, path);
      if (batch.units.size() == kFilesPerBatch) {
        batch = submit(std::move(batch));
      }
    }
    if (!batch.units.empty()) {
      submit(std::move(batch));
    }
  }
  if (pipeline) pipeline->finish();
  writer.finish();
  // Answers that could not all be written (a full disk): said, and the exit code says it too.
  const bool written = std::ferror(out) == 0;
  if (!written) {
    errors += render_unlocated(msg(Msg::BatchNotWritten), lang);
  }
  std::fputs(errors.c_str(), err);
  const Tally& t = writer.tally();
  if (options.summary) print_summary(t, *program, err, lang);
  return read_all && written && t.invalid == 0 && t.conflicts == 0 ? 0 : 1;
}

}  // namespace secretc
