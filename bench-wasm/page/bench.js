// Times the engine's workload against sql.js in the same page, and reports median ratios
// (engine time / sql.js time) to the server at /result as plain text lines.
import init, { Workload } from "/pkg/cqlfiddle_bench_wasm.js";

const PARTITIONS = 1000;
const ROWS_PER_PARTITION = 100;
const ROWS = PARTITIONS * ROWS_PER_PARTITION;
// A prime sharing no factor with ROWS, so reads visit every row once, across partitions.
const STRIDE = 7919;
const REPEATS = Number(new URLSearchParams(location.search).get("repeats") ?? "3");

function timed(run) {
  const start = performance.now();
  const rows = run();
  return { ms: performance.now() - start, rows };
}

function engineRound() {
  const w = new Workload(ROWS_PER_PARTITION);
  try {
    return {
      insert: timed(() => w.insert(ROWS)),
      "point read": timed(() => w.point_reads(ROWS, STRIDE)),
      "partition scan": timed(() => w.scans(PARTITIONS)),
    };
  } finally {
    w.free();
  }
}

function sqliteRound(SQL) {
  const db = new SQL.Database();
  db.run("CREATE TABLE t (k INTEGER NOT NULL, c INTEGER NOT NULL, v TEXT, PRIMARY KEY (k, c)) WITHOUT ROWID");
  const ins = db.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)");
  const get = db.prepare("SELECT v FROM t WHERE k = ? AND c = ?");
  const scan = db.prepare("SELECT k, c, v FROM t WHERE k = ?");
  const key = (i) => [Math.floor(i / ROWS_PER_PARTITION), i % ROWS_PER_PARTITION];
  try {
    return {
      insert: timed(() => {
        for (let i = 0; i < ROWS; i++) ins.run([...key(i), `value-${i}`]);
        return ROWS;
      }),
      "point read": timed(() => {
        let found = 0;
        for (let i = 0; i < ROWS; i++) {
          get.bind(key((i * STRIDE) % ROWS));
          if (get.step()) { get.get(); found++; }
          get.reset();
        }
        return found;
      }),
      "partition scan": timed(() => {
        let found = 0;
        for (let k = 0; k < PARTITIONS; k++) {
          scan.bind([k]);
          while (scan.step()) { scan.get(); found++; }
          scan.reset();
        }
        return found;
      }),
    };
  } finally {
    ins.free(); get.free(); scan.free(); db.close();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function main() {
  await init();
  const SQL = await initSqlJs({ locateFile: (file) => `/sql.js/${file}` });
  const rounds = { engine: [], sqljs: [] };
  // Alternate the two so a slow spell of the machine hurts both alike.
  for (let r = 0; r < REPEATS; r++) {
    rounds.engine.push(engineRound());
    rounds.sqljs.push(sqliteRound(SQL));
  }
  const lines = [];
  for (const name of ["insert", "point read", "partition scan"]) {
    const e = median(rounds.engine.map((x) => x[name].ms));
    const s = median(rounds.sqljs.map((x) => x[name].ms));
    const rows = [rounds.engine[0][name].rows, rounds.sqljs[0][name].rows];
    if (rows[0] !== rows[1]) throw new Error(`${name}: engine saw ${rows[0]} rows, sql.js ${rows[1]}`);
    lines.push(`ratio ${name} (browser): engine/sql.js = ${(e / s).toFixed(2)}  (engine ${e.toFixed(1)} ms, sql.js ${s.toFixed(1)} ms, median of ${REPEATS})`);
  }
  return lines.join("\n");
}

async function report(text) {
  document.querySelector("[data-testid=bench-result]").textContent = text;
  console.log(text);
  await fetch("/result", { method: "POST", body: text });
}

main().then(report, (err) => report(`error: ${err?.stack ?? err}`));
