// `secretc ask`: an interview in the terminal. From an optional partial case, it asks one question at
// a time — only the open questions of the answer (the `missing` facts), the most decisive first, in
// the order `open_questions` gives every front end —, says after each answer where the answer stands,
// ends with the full report, and saves the case file on request. Lines in, text out: it needs no
// terminal, so that scripts can pipe their answers and tests can drive it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secretc {

struct AskOptions {
  std::vector<std::string> rules;  // rule sources or one .secbc; empty: the embedded rulebase
  std::string lang;       // fr | en: the interview's words, the rulebase's texts, the report; empty: the rulebase's own
  std::string output;     // -o: save the case here at the end without asking; empty: ask
  std::string case_path;  // a partial case to start from; empty: an empty case
};

// The two ends of the interview.
struct Conversation {
  std::function<std::optional<std::string>()>
      read_line;                                   // the next line typed, without its end; nullopt at the end of input
  std::function<void(std::string_view)> say;       // questions, prompts and answers (standard output)
  std::function<void(std::string_view)> complain;  // diagnostics (standard error)
  // Write each line read after its prompt: when the answers come from a pipe, not a terminal that
  // shows them, the output then reads as the transcript of the interview.
  bool echo = false;
};

// Runs the interview. Exit code as `check`: 0 (also when the input ends mid-interview: the report so
// far is printed, and with `output` the case is saved), 1 invalid input (rulebase, starting case file,
// a file that cannot be written) or a conflict between rules for the case.
int run_ask(const AskOptions& options, std::string_view embedded, Conversation& io);

// The same on the process's standard input, output and error; output is flushed before each read.
int run_ask_on_standard_streams(const AskOptions& options, std::string_view embedded);

}  // namespace secretc
