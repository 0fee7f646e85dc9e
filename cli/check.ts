import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type Finding } from '../core/engine';
import { readFlowText } from '../core/flows/check';
import { checkFlowText } from '../core/flows/checkText';
import { lineAt, lineStarts } from '../core/engine/lines';
import { helpText, parseCommandArgs, usageText, UsageError } from './args';

export const CHECK_HELP = `  vip-api check [--format text|json] [--supported-versions 3.1,3.0] <files or folders…>
      Check request/response files and flow files (folders are searched for *.vip.json and
      *.vipflow.json; a flow gets the checks of vip-api test before it runs).
      Exit 1 when any error is found, 0 otherwise, 2 on usage errors.
`;

interface CheckOptions {
  format: 'text' | 'json';
  supportedVersions?: string[];
  targets: string[];
}

/** The options of `check`, or undefined for --help; a problem is a UsageError. */
function checkOptions(args: string[]): CheckOptions | undefined {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string', default: 'text' },
    'supported-versions': { type: 'string' },
  });
  if (values.help) return undefined;
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format takes text or json, not ${format}`);
  const versions = values['supported-versions'];
  if (versions === '') throw new UsageError('--supported-versions takes a comma-separated list, e.g. 3.1,3.0');
  if (positionals.length === 0) throw new UsageError('name at least one file or folder');
  return {
    format,
    supportedVersions: versions
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    targets: positionals,
  };
}

/** Files to check: named files as they are, folders searched for files ending in one of `suffixes` (symlink loops skipped). */
export function collectFiles(
  targets: string[],
  problems: string[],
  suffixes: string | string[] = '.vip.json',
): string[] {
  const wanted = typeof suffixes === 'string' ? [suffixes] : suffixes;
  const files: string[] = [];
  const seenDirs = new Set<string>();
  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (e) {
      problems.push(`${dir}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(`${dir}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) walk(full);
      else if (isFile && wanted.some((suffix) => entry.name.endsWith(suffix))) files.push(full);
    }
  };
  for (const t of targets) {
    let st: fs.Stats;
    try {
      st = fs.statSync(t);
    } catch (e) {
      problems.push(
        `${t}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`}`,
      );
      continue;
    }
    if (st.isDirectory()) walk(t);
    else if (st.isFile()) files.push(t);
    // Reading a FIFO waits for a writer forever, a device may never end.
    else problems.push(`${t}: not a regular file (a FIFO, socket or device): not read`);
  }
  return files;
}

/** 1-based line and column of an offset. */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = lineStarts(text);
  return (offset) => {
    const line = lineAt(starts, offset);
    return { line: line + 1, column: offset - starts[line] + 1 };
  };
}

export function runCheck(args: string[]): number {
  const opts = optionsOrExitCode(args);
  if (typeof opts === 'number') return opts;
  const problems: string[] = [];
  const files = collectFiles(opts.targets, problems, ['.vip.json', FLOW_SUFFIX]);
  const results = files.map((file) => checkFile(file, opts));
  for (const r of results) if (r.error) problems.push(`${r.file}: ${r.error}`);
  // Every problem (a missing target, an unreadable file) counts as an error, as do error findings.
  const errors =
    problems.length + results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
  if (opts.format === 'json') writeJsonReport(results, problems, errors);
  else writeTextReport(results, problems, errors);
  if (files.length === 0 && problems.length === 0)
    process.stderr.write('vip-api check: no *.vip.json or *.vipflow.json files found.\n');
  return errors > 0 ? 1 : 0;
}

/** The options, or the exit code once usage (2) or help (0) is written. */
function optionsOrExitCode(args: string[]): CheckOptions | number {
  try {
    const opts = checkOptions(args);
    if (opts) return opts;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(usageText('check', e.message, CHECK_HELP));
    return 2;
  }
  process.stdout.write(helpText(CHECK_HELP));
  return 0;
}

const FLOW_SUFFIX = '.vipflow.json';

/**
 * A finding as reported: a request/response finding, or a flow file's diagnostic (no reason code;
 * its rule is shown in the code's place, as `vip-api test` prints it).
 */
type Reported = Pick<Finding, 'severity' | 'message'> & {
  code?: string;
  rule: string;
  line: number;
  column: number;
  flow?: boolean;
};

/** One file's findings in order, with line and column, or why it could not be read. */
interface FileResult {
  file: string;
  findings: Reported[];
  error?: string;
}

function checkFile(file: string, opts: CheckOptions): FileResult {
  return file.endsWith(FLOW_SUFFIX) ? checkFlowFile(file, opts) : checkDocumentFile(file, opts);
}

/**
 * A flow file gets the checks `vip-api test` makes before a run (its schema, then what a schema
 * cannot check), and its requests (inline `send`, `with` over the request file) those of a *.vip.json file.
 */
function checkFlowFile(file: string, opts: CheckOptions): FileResult {
  const text = readFlowText(file);
  if (typeof text !== 'string') return { file, findings: [{ ...text, flow: true }] };
  const at = lineIndex(text);
  const check = checkFlowText(text, file, opts.supportedVersions ? { supportedVersions: opts.supportedVersions } : {});
  const findings = check.findings.map((f) => ({
    severity: f.severity,
    message: f.message,
    rule: f.rule,
    code: f.code,
    ...at(f.offset),
    flow: !f.inline,
  }));
  return { file, findings };
}

function checkDocumentFile(file: string, opts: CheckOptions): FileResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { file, findings: [], error: `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  const at = lineIndex(text);
  const findings = analyze(text, opts.supportedVersions ? { supportedVersions: opts.supportedVersions } : {})
    .sort((a, b) => a.offset - b.offset)
    .map((f) => ({ ...f, ...at(f.offset) }));
  return { file, findings };
}

function writeJsonReport(results: FileResult[], problems: string[], errors: number): void {
  const out = results.map((r) => ({
    file: r.file,
    ...(r.error ? { error: r.error } : {}),
    diagnostics: r.findings.map((f) => ({
      line: f.line,
      column: f.column,
      severity: f.severity,
      code: f.code ?? null,
      rule: f.rule,
      message: f.message,
    })),
  }));
  process.stdout.write(JSON.stringify({ files: out, problems, errorCount: errors }, null, 2) + '\n');
}

function tagOf(f: Reported): string {
  const tag = f.flow ? f.rule : f.code;
  return tag ? ` ${tag}` : '';
}

/** Findings as `file:line:column: severity code: message` on stdout; problems and the totals on stderr. */
function writeTextReport(results: FileResult[], problems: string[], errors: number): void {
  for (const p of problems) process.stderr.write(`vip-api check: ${p}\n`);
  for (const r of results) {
    for (const f of r.findings) {
      process.stdout.write(`${r.file}:${f.line}:${f.column}: ${f.severity}${tagOf(f)}: ${f.message}\n`);
    }
  }
  const count = results.reduce((n, r) => n + r.findings.length, 0);
  const files = results.length;
  process.stderr.write(
    `${files} file${files === 1 ? '' : 's'} checked, ${errors} error${errors === 1 ? '' : 's'}, ${count} finding${count === 1 ? '' : 's'} in all.\n`,
  );
}
