// IonQ as a papillon backend: planning (transpile, pack, split), the budget guard, the journal,
// submission, polling and result conversion.

#include <papillon/core/text.hpp>
#include <papillon/ionq/backend_catalog.hpp>
#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/sim/sampling.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace papillon::ionq {

using json = nlohmann::ordered_json;

namespace {

constexpr std::string_view where_run = "ionq_backend::run_batch";

// The simulator noise models of the v0.4 spec (docs/ionq-api.md section 5).
constexpr std::array<std::string_view, 8> known_noise_models = {
    "ideal",  "harmony", "harmony-1", "harmony-2",
    "aria-1", "aria-2",  "forte-1",   "forte-enterprise-1"};

bool is_simulator(const std::string& target) { return target == "simulator"; }

bool valid_target(const std::string& t) {
  return !t.empty() && t.size() <= 64 && std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

bool ideal(const ionq_backend_options& o) {
  return is_simulator(o.target) && (o.noise_model.empty() || o.noise_model == "ideal");
}

json probabilities_to_json(const probability_map& p) {
  json o = json::object();
  for (const auto& [k, v] : p) o[k.decimal_label()] = v;
  return o;
}

}  // namespace

nlohmann::ordered_json job_plan::to_json() const {
  json out;
  json arr = json::array();
  for (const auto& j : jobs) {
    json e;
    e["hash"] = j.hash;
    e["circuits"] = j.circuits;
    e["shots"] = j.shots;
    e["gates"] = j.gates;
    e["payload"] = j.payload;
    arr.push_back(std::move(e));
  }
  out["jobs"] = std::move(arr);
  out["total_shots"] = total_shots;
  out["total_circuits"] = total_circuits;
  if (!mitigation.is_null()) out["mitigation"] = mitigation;
  return out;
}

run_result to_run_result(const probability_map& probs, index_t qubits, std::uint64_t shots) {
  run_result r;
  r.qubits = qubits;
  r.shots = shots;
  r.probabilities = probs;
  if (shots > 0)
    for (const auto& [s, p] : probs) {
      const auto c = static_cast<std::uint64_t>(std::llround(p * static_cast<double>(shots)));
      if (c > 0) r.counts.emplace(s, c);
    }
  return r;
}

ionq_backend::ionq_backend(ionq_backend_options opt, client_options client_opt,
                           std::shared_ptr<http_transport> transport)
    : m_opt(std::move(opt)) {
  constexpr std::string_view where = "ionq_backend";
  if (!valid_target(m_opt.target))
    throw data_error(where, "invalid target name", "'" + m_opt.target + "'");
  if (m_opt.budget.max_cost &&
      !(*m_opt.budget.max_cost >= 0 && std::isfinite(*m_opt.budget.max_cost)))
    throw data_error(where, "max_cost must be a finite amount >= 0",
                     std::to_string(*m_opt.budget.max_cost));
  if (m_opt.pick_native_gateset && !m_opt.check_backend)
    throw data_error(where, "pick_native_gateset needs check_backend",
                     "the native gate set is read from GET /backends");
  // A dry run makes a client only to read the backend list or ask for quotes (GETs that create
  // nothing); a real run always has one.
  if (!m_opt.dry_run || m_opt.check_backend || tracks_cost())
    m_client = std::make_unique<client>(std::move(client_opt), std::move(transport));
  if (m_opt.check_backend) {
    const auto list = m_client->backends();
    m_target = find_backend(list, m_opt.target);
    if (m_opt.pick_native_gateset) m_opt.gateset = native_gateset_of(*m_target);
    for (const auto& w : check_target(*m_target, 0)) log("ionq: warning: " + w);
    if (m_opt.mitigation.debiasing.value_or(false) && !m_target->error_mitigations.empty() &&
        std::find(m_target->error_mitigations.begin(), m_target->error_mitigations.end(),
                  "debiasing") == m_target->error_mitigations.end())
      throw data_error(where, "the target does not offer debiasing",
                       "backend '" + m_opt.target + "' lists no 'debiasing' mitigation");
  }
  if (!m_opt.noise_model.empty()) {
    if (!is_simulator(m_opt.target))
      throw data_error(where, "noise models exist only on the cloud simulator",
                       "target '" + m_opt.target + "', noise '" + m_opt.noise_model + "'");
    if (std::find(known_noise_models.begin(), known_noise_models.end(), m_opt.noise_model) ==
        known_noise_models.end()) {
      std::string names;
      for (auto n : known_noise_models) names += (names.empty() ? "" : ", ") + std::string(n);
      throw data_error(where, "unknown IonQ noise model '" + m_opt.noise_model + "'",
                       "valid: " + names);
    }
  }
  // Aria's native two-qubit gate is MS, Forte's is ZZ; each QPU rejects the other.
  if (m_opt.gateset == ionq_gateset::native_ms && m_opt.target.rfind("qpu.forte", 0) == 0)
    throw data_error(where, "Forte QPUs do not accept ms gates: use --gateset native-zz or qis",
                     "target '" + m_opt.target + "'");
  if (m_opt.gateset == ionq_gateset::native_zz && m_opt.target.rfind("qpu.aria", 0) == 0)
    throw data_error(where, "Aria QPUs do not accept zz gates: use --gateset native-ms or qis",
                     "target '" + m_opt.target + "'");
  if (m_opt.max_circuits_per_job == 0 || m_opt.max_circuits_per_job > 5000)
    throw data_error(where, "max_circuits_per_job must be in 1..5000",
                     std::to_string(m_opt.max_circuits_per_job));
  if (m_opt.max_gates_per_job == 0 || m_opt.max_gates_per_job > 150000)
    throw data_error(where, "max_gates_per_job must be in 1..150000",
                     std::to_string(m_opt.max_gates_per_job));
  if (m_opt.metadata.size() > 8)
    throw data_error(where, "at most 8 metadata entries",
                     std::to_string(m_opt.metadata.size()) + " given");
  if (m_opt.max_qubits == 0 || m_opt.max_qubits > max_basis_qubits)
    throw data_error(where, "max_qubits must be in 1..64", std::to_string(m_opt.max_qubits));

  m_info.name = "ionq:" + m_opt.target;
  if (!m_opt.noise_model.empty()) m_info.name += " (noise " + m_opt.noise_model + ")";
  m_info.max_qubits = m_opt.max_qubits;
  // The device's own width is the limit when the list gives one (the source of truth).
  if (m_target && m_target->qubits > 0)
    m_info.max_qubits = std::min<index_t>(m_target->qubits, max_basis_qubits);
  m_info.gatesets = {std::string(ionq_gateset_name(m_opt.gateset))};
  m_info.exact = ideal(m_opt);
  m_info.sampled = true;
  if (is_simulator(m_opt.target))
    for (auto n : known_noise_models) m_info.noise_models.emplace_back(n);

  if (!m_opt.journal.empty()) m_journal = std::make_unique<job_journal>(m_opt.journal);
}

void ionq_backend::check_budget(std::uint64_t new_shots, std::uint64_t new_circuits) const {
  const budget_options& b = m_opt.budget;
  // Written so that no sum can wrap around.
  if (new_shots > b.max_shots || m_spent.shots > b.max_shots - new_shots ||
      new_circuits > b.max_circuits || m_spent.circuits > b.max_circuits - new_circuits)
    throw backend_error(
        where_run, "run refused: it would exceed the budget",
        fmt::format("this batch needs {} shots and {} circuits; spent {} shots and {} circuits; "
                    "limits {} shots and {} circuits",
                    new_shots, new_circuits, m_spent.shots, m_spent.circuits, b.max_shots,
                    b.max_circuits));
}

void ionq_backend::log(const std::string& line) const {
  if (m_opt.log) m_opt.log(line);
}

std::map<std::string, std::uint64_t> ionq_backend::usage() const {
  std::map<std::string, std::uint64_t> u;
  u["ionq_jobs"] = m_spent.jobs;
  if (tracks_cost() && !m_spent.cost_unit.empty()) {
    const auto micros = [](double v) { return static_cast<std::uint64_t>(std::llround(v * 1e6)); };
    u["ionq_quote_" + m_spent.cost_unit + "_micros"] = micros(m_spent.estimated_cost);
    u["ionq_cost_" + m_spent.cost_unit + "_micros"] = micros(m_spent.cost);
  }
  return u;
}

void ionq_backend::check_cost_budget(double amount, const std::string& unit) const {
  const budget_options& b = m_opt.budget;
  if (!b.max_cost) return;
  if (!b.cost_unit.empty() && !unit.empty() && unit != b.cost_unit)
    throw backend_error(where_run, "run refused: IonQ quotes in another unit than the budget",
                        "quote in " + unit + ", budget in " + b.cost_unit);
  if (m_spent.estimated_cost + amount > *b.max_cost)
    throw backend_error(
        where_run, "run refused: its estimate would exceed the money budget",
        fmt::format("this batch is quoted {}; quotes of the jobs sent so far {}; limit {}",
                    format_money(amount, unit), format_money(m_spent.estimated_cost, unit),
                    format_money(*b.max_cost, b.cost_unit.empty() ? unit : b.cost_unit)));
}

run_estimate ionq_backend::estimate(const job_plan& plan) {
  std::vector<std::size_t> all(plan.jobs.size());
  for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
  return estimate_jobs(plan, all);
}

run_estimate ionq_backend::estimate_jobs(const job_plan& plan,
                                         const std::vector<std::size_t>& which) {
  constexpr std::string_view where = "ionq_backend::estimate";
  if (!m_client)
    throw backend_error(where, "no client to ask for quotes", "dry run without cost tracking");
  run_estimate out;
  out.jobs.assign(plan.jobs.size(), 0.0);
  for (const std::size_t k : which) {
    const planned_job& j = plan.jobs[k];
    const std::uint64_t shots_each = j.circuits == 0 ? 0 : j.shots / j.circuits;
    for (const circuit_size& size : j.sizes) {
      estimate_query q;
      q.backend = m_opt.target;
      q.size = size;
      q.shots = shots_each;
      q.error_mitigation =
          debiasing_in_effect(m_opt.mitigation, m_opt.target, m_opt.gateset, shots_each);
      const std::string key = q.to_query();
      auto it = m_quotes.find(key);
      if (it == m_quotes.end()) {
        it = m_quotes.emplace(key, m_client->estimate(q)).first;
        ++out.requests;
      }
      const cost_estimate& e = it->second;
      if (out.unit.empty()) out.unit = e.unit;
      if (e.unit != out.unit)
        throw backend_error(where, "IonQ quoted in two units", out.unit + " and " + e.unit);
      out.jobs[k] += e.cost;
      out.total += e.cost;
    }
  }
  return out;
}

void ionq_backend::record_cost(const planned_job& j, const std::string& id) {
  // The results are safe already: a cost that cannot be read is logged, not fatal.
  try {
    const job_cost c = m_client->cost(id);
    if (m_journal) m_journal->record_cost(j.hash, id, c.actual, c.estimated, c.unit);
    if (c.actual) {
      if (m_spent.cost_unit.empty()) m_spent.cost_unit = c.unit;
      m_spent.cost += *c.actual;
    }
    log(fmt::format("ionq: job {} cost {}", id,
                    c.actual ? format_money(*c.actual, c.unit) : std::string("not yet known")));
  } catch (const backend_error& e) {
    log(std::string("ionq: the cost of job ") + id + " could not be read: " + e.what());
  }
}

job_plan ionq_backend::plan(std::span<const run_task> tasks, const run_options& opt) const {
  constexpr std::string_view where = "ionq_backend::plan";
  struct item {
    json circuit;  // the gate array
    index_t qubits = 0;
    std::size_t gates = 0;
    circuit_size size;
  };
  check_mitigation(m_opt.mitigation, m_opt.target, m_opt.gateset, opt.shots);
  std::vector<item> items;
  items.reserve(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const run_task& t = tasks[i];
    const std::string ctx = "task " + std::to_string(i);
    if (t.circ == nullptr) throw data_error(where, "task has no circuit", ctx);
    if (t.circ->num_qubits() > m_info.max_qubits)
      throw dimension_error(where, "circuit has more qubits than the backend supports",
                            ctx + ": " + std::to_string(t.circ->num_qubits()) + " > " +
                                std::to_string(m_info.max_qubits));
    const ionq_program prog = transpile(*t.circ, t.params, m_opt.gateset);
    json input = json::parse(ionq_input_json(prog));
    item it;
    it.circuit = std::move(input["circuit"]);
    it.qubits = t.circ->num_qubits();
    it.gates = prog.gates.size();
    const gate_counts counts = count_gates(prog);
    it.size = circuit_size{it.qubits, counts.total - counts.two_qubit, counts.two_qubit};
    if (it.gates > m_opt.max_gates_per_job)
      throw circuit_error(
          where, "circuit has more gates than one job may hold",
          ctx + ": " + std::to_string(it.gates) + " > " + std::to_string(m_opt.max_gates_per_job));
    items.push_back(std::move(it));
  }

  // Greedy packing in input order, so a job's circuits are a contiguous range of the batch.
  std::vector<std::pair<std::size_t, std::size_t>> ranges;  // [first, last)
  std::size_t first = 0;
  std::size_t gates = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > first && (i - first >= m_opt.max_circuits_per_job ||
                      gates + items[i].gates > m_opt.max_gates_per_job)) {
      ranges.emplace_back(first, i);
      first = i;
      gates = 0;
    }
    gates += items[i].gates;
  }
  if (!items.empty()) ranges.emplace_back(first, items.size());

  job_plan out;
  out.mitigation = describe(m_opt.mitigation, m_opt.target, m_opt.gateset, opt.shots);
  const std::string gateset_field(ionq_gateset_field(m_opt.gateset));
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    const auto [b, e] = ranges[k];
    planned_job pj;
    pj.first_task = b;
    pj.circuits = e - b;
    if (opt.shots > 0 && pj.circuits > std::numeric_limits<std::uint64_t>::max() / opt.shots)
      throw data_error(where, "shots times circuits does not fit in 64 bits",
                       std::to_string(opt.shots) + " shots");
    pj.shots = opt.shots * pj.circuits;
    json p;
    p["type"] = pj.circuits == 1 ? "ionq.circuit.v1" : "ionq.multi-circuit.v1";
    p["backend"] = m_opt.target;
    if (opt.shots > 0) p["shots"] = opt.shots;
    p["name"] = ranges.size() == 1 ? m_opt.job_name : m_opt.job_name + "-" + std::to_string(k);
    json md = json::object();
    for (const auto& [key, v] : m_opt.metadata) md[key] = v;
    md["papillon_circuits"] = std::to_string(pj.circuits);
    p["metadata"] = std::move(md);
    if (!m_opt.noise_model.empty()) {
      json noise;
      noise["model"] = m_opt.noise_model;
      // IonQ accepts seeds in 1..2^31-1. Seeds are per job; the parts of a split batch
      // (run_options::first_task) get their own.
      const std::uint64_t base =
          opt.first_task == 0 ? opt.seed : derive_seed(opt.seed, opt.first_task);
      noise["seed"] = m_opt.noise_seed
                          ? *m_opt.noise_seed
                          : static_cast<std::uint32_t>(derive_seed(base, k) % 2147483647ULL + 1);
      p["noise"] = std::move(noise);
    }
    if (json em = mitigation_settings_json(m_opt.mitigation); !em.empty())
      p["settings"]["error_mitigation"] = std::move(em);
    for (std::size_t i = b; i < e; ++i) pj.sizes.push_back(items[i].size);
    json input;
    if (pj.circuits == 1) {
      input["qubits"] = items[b].qubits;
      input["gateset"] = gateset_field;
      input["circuit"] = items[b].circuit;
      pj.gates = items[b].gates;
    } else {
      index_t width = 0;
      for (std::size_t i = b; i < e; ++i) width = std::max(width, items[i].qubits);
      input["gateset"] = gateset_field;
      input["qubits"] = width;
      json circuits = json::array();
      for (std::size_t i = b; i < e; ++i) {
        json c;
        c["name"] = "c" + std::to_string(i);
        if (items[i].qubits != width) c["qubits"] = items[i].qubits;
        c["circuit"] = items[i].circuit;
        circuits.push_back(std::move(c));
        pj.gates += items[i].gates;
      }
      input["circuits"] = std::move(circuits);
    }
    p["input"] = std::move(input);
    pj.hash = sha256_hex(p.dump());
    pj.tag = pj.hash.substr(0, 32);
    p["metadata"]["papillon_tag"] = pj.tag;
    pj.payload = std::move(p);
    if (out.total_shots > std::numeric_limits<std::uint64_t>::max() - pj.shots)
      throw data_error(where, "total shots do not fit in 64 bits",
                       std::to_string(opt.shots) + " shots");
    out.total_shots += pj.shots;
    out.total_circuits += pj.circuits;
    out.jobs.push_back(std::move(pj));
  }
  return out;
}

std::vector<run_result> ionq_backend::do_run_batch(std::span<const run_task> tasks,
                                                   const run_options& opt) {
  m_last_plan = plan(tasks, opt);
  const job_plan& jp = m_last_plan;
  std::vector<run_result> out(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    out[i].qubits = tasks[i].circ->num_qubits();
    out[i].shots = opt.shots;
  }
  m_last_estimate = {};
  if (m_opt.dry_run) {
    check_budget(jp.total_shots, jp.total_circuits);
    if (tracks_cost()) {
      m_last_estimate = estimate(jp);
      check_cost_budget(m_last_estimate.total, m_last_estimate.unit);
    }
    for (std::size_t k = 0; k < jp.jobs.size(); ++k) {
      const planned_job& j = jp.jobs[k];
      log(fmt::format(
          "ionq (dry run): job {} circuits, {} shots, {} gates, hash {}{}", j.circuits, j.shots,
          j.gates, j.hash.substr(0, 12),
          tracks_cost() ? ", quoted " + format_money(m_last_estimate.jobs[k], m_last_estimate.unit)
                        : std::string()));
    }
    if (tracks_cost())
      log("ionq (dry run): estimate " + format_money(m_last_estimate.total, m_last_estimate.unit));
    return out;
  }

  struct job_state {
    std::string id;
    bool resolve_tag = false;  // an intent without an id: the job may exist on the server
    bool fresh = false;        // to be submitted
    std::optional<std::vector<probability_map>> probs;
  };
  std::vector<job_state> st(jp.jobs.size());
  std::uint64_t new_shots = 0;
  std::uint64_t new_circuits = 0;
  for (std::size_t k = 0; k < jp.jobs.size(); ++k) {
    const planned_job& j = jp.jobs[k];
    std::optional<journal_entry> e;
    if (m_journal) e = m_journal->find(j.hash);
    if (e && e->probabilities) {
      std::vector<probability_map> v;
      for (const auto& p : *e->probabilities) v.push_back(parse_probabilities(p));
      if (v.size() == j.circuits) {
        st[k].probs = std::move(v);
        log(fmt::format("ionq: reusing the journaled results of job {}",
                        sanitize_text(e->job_id, 64)));
        continue;
      }
    }
    if (e && !e->job_id.empty()) {
      st[k].id = e->job_id;
      log(fmt::format("ionq: resuming journaled job {}", sanitize_text(e->job_id, 64)));
      continue;
    }
    st[k].resolve_tag = e.has_value();
    st[k].fresh = true;
    // Counted as new even when the tag lookup may find it: the guard stays conservative.
    new_shots += j.shots;
    new_circuits += j.circuits;
  }

  // The budget guard: before anything is sent.
  check_budget(new_shots, new_circuits);
  if (tracks_cost()) {
    std::vector<std::size_t> fresh;
    for (std::size_t k = 0; k < jp.jobs.size(); ++k)
      if (st[k].fresh) fresh.push_back(k);
    m_last_estimate = estimate_jobs(jp, fresh);
    check_cost_budget(m_last_estimate.total, m_last_estimate.unit);
    if (!fresh.empty())
      log("ionq: estimate " + format_money(m_last_estimate.total, m_last_estimate.unit) + " for " +
          std::to_string(fresh.size()) + " jobs");
  }

  // Submit everything first, so the jobs run concurrently.
  for (std::size_t k = 0; k < jp.jobs.size(); ++k) {
    if (!st[k].fresh) continue;
    const planned_job& j = jp.jobs[k];
    journal_summary sum{m_opt.target, j.circuits, j.shots};
    if (tracks_cost()) {
      sum.estimated_cost = m_last_estimate.jobs[k];
      sum.cost_unit = m_last_estimate.unit;
    }
    if (st[k].resolve_tag) {
      // A previous run died between the intent and the answer of POST /jobs.
      if (auto found = m_client->find_job_by_tag(j.tag)) {
        st[k].id = found->id;
        if (m_journal) m_journal->record_submitted(j.hash, j.tag, st[k].id, sum);
        log(fmt::format("ionq: found the job of an interrupted submission: {}", st[k].id));
        continue;
      }
    }
    if (m_journal) m_journal->record_intent(j.hash, j.tag, sum);
    st[k].id = m_client->create_job(j.payload, j.tag);
    if (m_journal) m_journal->record_submitted(j.hash, j.tag, st[k].id, sum);
    m_spent.shots += j.shots;
    m_spent.circuits += j.circuits;
    m_spent.jobs += 1;
    if (tracks_cost()) {
      m_spent.estimated_cost += m_last_estimate.jobs[k];
      if (m_spent.cost_unit.empty()) m_spent.cost_unit = m_last_estimate.unit;
    }
    log(fmt::format("ionq: submitted job {} ({} circuits, {} shots)", st[k].id, j.circuits,
                    j.shots));
  }

  // Poll and fetch; results are journaled as soon as they arrive, and a failed job does not
  // keep the results of the others from being recorded.
  std::optional<remote_job_error> first_failure;
  for (std::size_t k = 0; k < jp.jobs.size(); ++k) {
    if (st[k].probs) continue;
    const planned_job& j = jp.jobs[k];
    job_info info;
    try {
      info = m_client->wait(st[k].id);
    } catch (const timeout_error&) {
      if (m_opt.cancel_on_timeout)
        for (std::size_t r = k; r < jp.jobs.size(); ++r)
          if (!st[r].probs) {
            try {
              m_client->cancel(st[r].id);
            } catch (const backend_error&) {  // best effort: the timeout is the error to report
            }
          }
      throw;
    }
    if (info.status != job_status::completed) {
      const std::string msg = info.failure
                                  ? (info.failure->code.empty() ? "" : info.failure->code + ": ") +
                                        info.failure->message
                                  : std::string("no failure message");
      if (m_journal) m_journal->record_failed(j.hash, info.id, info.status_text, msg);
      if (!first_failure)
        first_failure.emplace(where_run, "IonQ job " + info.status_text + ": " + msg,
                              "job " + info.id);
      continue;
    }
    std::vector<probability_map> v;
    const std::string agg =
        m_opt.mitigation.aggregation == result_aggregation::server_default
            ? std::string()
            : std::string(result_aggregation_names.name_of(m_opt.mitigation.aggregation));
    if (j.circuits == 1)
      v.push_back(m_client->probabilities(info, agg));
    else
      v = m_client->aggregated_probabilities(info, agg);
    if (v.size() != j.circuits)
      throw backend_error(
          where_run, "job returned the wrong number of results",
          fmt::format("job {}: {} results for {} circuits", info.id, v.size(), j.circuits));
    for (std::size_t c = 0; c < v.size(); ++c) {
      const index_t n = tasks[j.first_task + c].circ->num_qubits();
      // Keys ascend numerically: the last one has the highest qubit.
      if (!v[c].empty() && !v[c].rbegin()->first.within(n))
        throw backend_error(where_run, "result has a basis state outside the circuit's qubits",
                            fmt::format("job {}, circuit {}: state {} on {} qubits", info.id,
                                        j.first_task + c, v[c].rbegin()->first.decimal_label(), n));
    }
    if (m_journal) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& p : v) arr.push_back(nlohmann::json(probabilities_to_json(p)));
      m_journal->record_results(j.hash, info.id, arr);
    }
    if (tracks_cost()) record_cost(j, info.id);
    for (const auto& w : info.warnings) log("ionq: warning from job " + info.id + ": " + w);
    st[k].probs = std::move(v);
  }
  if (first_failure) throw *first_failure;

  for (std::size_t k = 0; k < jp.jobs.size(); ++k) {
    const planned_job& j = jp.jobs[k];
    for (std::size_t c = 0; c < j.circuits; ++c) {
      const std::size_t t = j.first_task + c;
      out[t] = to_run_result((*st[k].probs)[c], tasks[t].circ->num_qubits(), opt.shots);
    }
  }
  return out;
}

}  // namespace papillon::ionq
