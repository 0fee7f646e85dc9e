// JUnit XML: one <testsuite> per flow (and case), one <testcase> per step with the flow file and
// the step's line; a failure carries the message and the expected/actual values. Written with the
// DOM of @xmldom/xmldom, like the SOAP envelopes. Results hold no secrets (the runner redacted them).
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import type { FlowResult, StepResult } from '../types';
import { flowTitle, stepSeconds, summarize, where } from './summary';

/** Characters XML 1.0 cannot hold (control characters, lone surrogates) become U+FFFD. */
function xmlText(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

function element(
  doc: Document,
  name: string,
  attributes: Record<string, string | number | undefined>,
  text?: string,
): Element {
  const el = doc.createElement(name);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) el.setAttribute(k, xmlText(String(v)));
  if (text !== undefined) el.appendChild(doc.createTextNode(xmlText(text)));
  return el;
}

export function toJUnit(results: FlowResult[], relative: (f: string) => string): string {
  const doc = new DOMImplementation().createDocument(null, 'testsuites', null);
  const root = doc.documentElement!;
  const all = summarize(results);
  root.setAttribute('name', 'vip-api test');
  for (const [k, v] of Object.entries({
    tests: results.reduce((n, r) => n + r.steps.length, 0),
    failures: all.steps.failed,
    errors: all.steps.error,
    skipped: all.steps.skipped,
    time: (all.durationMs / 1000).toFixed(3),
  }))
    root.setAttribute(k, String(v));
  for (const r of results) root.appendChild(suite(doc, r, relative));
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc) + '\n';
}

function suite(doc: Document, r: FlowResult, relative: (f: string) => string): Element {
  const s = summarize([r]).steps;
  const el = element(doc, 'testsuite', {
    name: flowTitle(r),
    file: relative(r.file),
    line: r.at.line,
    tests: r.steps.length,
    failures: s.failed,
    errors: s.error,
    skipped: s.skipped,
    time: (r.durationMs / 1000).toFixed(3),
  });
  for (const step of r.steps) el.appendChild(testcase(doc, r, step, relative));
  return el;
}

function testcase(doc: Document, r: FlowResult, step: StepResult, relative: (f: string) => string): Element {
  const el = element(doc, 'testcase', {
    name: step.name,
    classname: flowTitle(r),
    file: relative(r.file),
    line: step.at.line,
    time: stepSeconds(step),
  });
  const p = step.problem;
  if (step.status === 'skipped') el.appendChild(element(doc, 'skipped', { message: step.skipReason }));
  else if (p && step.status === 'failed') {
    const body = [
      `at ${where(r.file, p.at, relative)}`,
      `expected: ${p.expected ?? ''}`,
      `actual: ${p.actual ?? ''}`,
      ...(p.details ?? []),
    ].join('\n');
    el.appendChild(element(doc, 'failure', { message: p.message, type: p.kind }, body));
  } else if (p)
    el.appendChild(element(doc, 'error', { message: p.message, type: p.kind }, `at ${where(r.file, p.at, relative)}`));
  if (step.transcript.length) el.appendChild(element(doc, 'system-out', {}, step.transcript.join('\n')));
  return el;
}
