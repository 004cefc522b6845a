// `papillon run --backend ionq` (docs/cli.md, docs/ionq.md).

#include "cli/run_ionq.hpp"

#include <papillon/io/run_result_json.hpp>
#include <papillon/ionq/ionq_api_key.hpp>
#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/sim/simulator.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <string>

#include "cli/cli_util.hpp"

namespace papillon::cli {

void add_ionq_run_options(CLI::App* sub, ionq_run_options& o) {
  sub->add_option("--ionq-url", o.url, with_default("IonQ API base URL", ionq::default_base_url));
  sub->add_option("--ionq-target", o.target,
                  with_default("IonQ backend: simulator, qpu.aria-1, qpu.forte-1, ...", o.target));
  sub->add_option(
         "--gateset", o.gateset,
         with_default("IonQ gate set: " + ionq_gateset_names.names_text(", ", " or "), o.gateset))
      ->check(one_of_enum<ionq_gateset>());
  sub->add_flag("--dry-run", o.dry_run,
                "With --backend ionq: print the job payloads, send nothing");
  sub->add_option("--ionq-key-file", o.key_file,
                  "File holding the IonQ API key (mode 600); default: IONQ_API_KEY");
  sub->add_option("--ionq-journal", o.journal,
                  "Job journal file: resumes an interrupted run instead of paying again");
  add_bounded(sub, "--ionq-max-shots", o.max_shots,
              "Budget guard: refuse a run above this many shots", std::uint64_t{1},
              limits::ionq_max_shots);
  add_bounded(sub, "--ionq-timeout", o.timeout,
              "Seconds allowed for the whole IonQ run, submission, polling and results included "
              "(a journaled run resumes the job after a timeout)",
              min_ionq_timeout, max_ionq_timeout);
}

void check_no_ionq_options(const CLI::App& sub) {
  for (const char* name :
       {"--ionq-url", "--ionq-target", "--gateset", "--dry-run", "--ionq-key-file",
        "--ionq-journal", "--ionq-max-shots", "--ionq-timeout"})
    if (sub.get_option(name)->count() > 0)
      throw data_error("cli", std::string(name) + " needs --backend ionq",
                       "without it the option would be ignored");
}

std::shared_ptr<ionq::ionq_backend> make_ionq_backend(const ionq_run_options& o,
                                                      const std::string& noise) {
  // One process holds the key, the client and the journal: no job is sent or paid twice.
  require_single_rank("cli", "the IonQ backend");
  ionq::ionq_backend_options bo;
  bo.target = o.target;
  bo.gateset = parse_ionq_gateset(o.gateset);
  bo.noise_model = noise;
  bo.dry_run = o.dry_run;
  bo.journal = o.journal;
  bo.budget.max_shots = o.max_shots;
  bo.log = [](std::string_view line) { std::cerr << line << '\n'; };
  ionq::client_options co;
  if (!o.url.empty()) co.base_url = o.url;
  co.total_deadline = ionq::seconds_d(o.timeout);
  co.log = bo.log;
  check_writable("--ionq-journal", o.journal);
  if (!o.key_file.empty()) check_readable("--ionq-key-file", o.key_file);
  if (!o.dry_run)
    co.api_key = ionq::load_api_key(
        o.key_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(o.key_file));
  // The backend's own checks of target, gate set and noise model, named by their options.
  std::string given = "--ionq-target " + o.target + ", --gateset " + o.gateset;
  if (!noise.empty()) given += ", --noise " + noise;
  return about_option(given, [&] { return std::make_shared<ionq::ionq_backend>(bo, co); });
}

nlohmann::ordered_json run_on_ionq(const ionq_run_options& o, ionq::ionq_backend& b,
                                   const circuit& c, const std::vector<double>& params,
                                   std::uint64_t shots, std::uint64_t seed) {
  const run_task task{&c, params};
  const run_options ro{shots, seed};
  const ionq::job_plan plan = b.plan(std::span<const run_task>(&task, 1), ro);
  // The budget is the user's own limit on this run: going over it is bad input (exit 2), found
  // before anything is sent, and a dry run answers whether the real run would be allowed.
  try {
    b.check_budget(plan.total_shots, plan.total_circuits);
  } catch (const backend_error& e) {
    throw data_error("cli", e.what(), "--ionq-max-shots " + std::to_string(o.max_shots));
  }
  if (o.dry_run) {
    nlohmann::ordered_json doc;
    doc["dry_run"] = true;
    doc["backend"] = b.info().name;
    const auto p = plan.to_json();
    doc["jobs"] = p["jobs"];
    doc["total_shots"] = p["total_shots"];
    doc["total_circuits"] = p["total_circuits"];
    return doc;
  }
  const run_result r = b.run(c, params, ro);
  nlohmann::ordered_json doc;
  doc["qubits"] = c.num_qubits();
  doc["mode"] = std::string(name_of(simulation_mode::full));
  doc["backend"] = b.info().name;
  doc.update(to_json(r));
  return doc;
}

}  // namespace papillon::cli
