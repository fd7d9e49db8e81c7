/**
 * HTML validation with the Nu Html Checker (the W3C validator), run locally from the `vnu-jar` npm
 * package under the machine's Java (17 here). Nothing is fetched over the network.
 *
 * Starting the JVM and loading the schemas costs 2–3 s, checking a document a few milliseconds:
 * pass every document of a test file in ONE call (`validateHtml([a, b, c])`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** Path of vnu.jar: the `vnu-jar` package exports it as a String object (and ships no types). */
const require = createRequire(import.meta.url);
export const VNU_JAR = String(require('vnu-jar'));

export interface HtmlMessage {
  /** Index of the document in the array given to `validateHtml` (0 for a single string). */
  document: number;
  message: string;
  /** 1-based line and column where the problem starts. */
  line: number | undefined;
  column: number | undefined;
  /** A short piece of the source around the problem. */
  extract: string | undefined;
}

interface VnuMessage {
  type: 'error' | 'info' | 'non-document-error';
  subType?: string;
  url?: string;
  firstLine?: number;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
  message: string;
  extract?: string;
}

export interface ValidateOptions {
  /** Errors whose message matches one of these are dropped. */
  ignore?: RegExp[];
  /** Java executable; defaults to $JAVA_HOME/bin/java, then `java` on PATH. */
  java?: string;
}

/**
 * JVM options: C1-only JIT and the serial GC make this short-lived JVM start about twice as fast;
 * C1 frames are larger, and vnu's schema code recurses deeply, so it needs a bigger thread stack
 * (with C1 and the default stack it dies with StackOverflowError).
 */
const JVM_OPTIONS = ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];

function javaExecutable(options: ValidateOptions): string {
  if (options.java) return options.java;
  if (process.env.JAVA_HOME) return join(process.env.JAVA_HOME, 'bin', 'java');
  return 'java';
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) =>
      reject(new Error(`cannot start ${command} for vnu (is Java 11+ installed?): ${error.message}`)),
    );
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}

/**
 * Validates one or more HTML documents in one vnu run and returns only the errors (warnings and
 * info messages are left out), in document order. Throws if vnu itself could not run.
 */
export async function validateHtml(
  html: string | string[],
  options: ValidateOptions = {},
): Promise<HtmlMessage[]> {
  const documents = typeof html === 'string' ? [html] : html;
  if (documents.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'vnu-'));
  try {
    const files = documents.map((_, index) => join(dir, `doc-${String(index).padStart(5, '0')}.html`));
    await Promise.all(documents.map((doc, index) => writeFile(files[index] as string, doc, 'utf8')));
    const args = [...JVM_OPTIONS, '-jar', VNU_JAR, '--format', 'json', '--stdout', '--exit-zero-always'];
    const result = await run(javaExecutable(options), [...args, ...files]);
    let parsed: { messages: VnuMessage[] };
    try {
      parsed = JSON.parse(result.stdout);
    } catch {
      throw new Error(`vnu failed (exit ${result.code}):\n${result.stderr || result.stdout}`);
    }
    const broken = parsed.messages.filter((message) => message.type === 'non-document-error');
    if (broken.length > 0) {
      throw new Error(`vnu could not check the documents: ${broken.map((m) => m.message).join('; ')}`);
    }
    const index = new Map(files.map((file, i) => [basename(file), i]));
    return parsed.messages
      .filter((message) => message.type === 'error')
      .filter((message) => !options.ignore?.some((pattern) => pattern.test(message.message)))
      .map((message) => ({
        document: index.get(basename(message.url ?? '')) ?? 0,
        message: message.message,
        line: message.firstLine ?? message.lastLine,
        column: message.firstColumn ?? message.lastColumn,
        extract: message.extract,
      }))
      .sort(
        (a, b) =>
          a.document - b.document || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
      );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The errors as readable lines for an assertion message, e.g.
 * `expect(errors, formatHtmlErrors(errors, ['/', '/nieuws/x'])).toEqual([])`.
 * `names` label the documents (by index); without them they are numbered.
 */
export function formatHtmlErrors(messages: readonly HtmlMessage[], names: readonly string[] = []): string {
  if (messages.length === 0) return 'no HTML errors';
  return messages
    .map((m) => {
      const where = `${names[m.document] ?? `document ${m.document}`}:${m.line ?? '?'}:${m.column ?? '?'}`;
      const extract = m.extract ? `\n    ${m.extract.replace(/\s+/g, ' ').trim()}` : '';
      return `${where} ${m.message}${extract}`;
    })
    .join('\n');
}
