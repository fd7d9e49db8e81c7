/** One problem in one source document, reported as `file:line: message`. */
export interface DocumentProblem {
  file: string;
  line: number;
  message: string;
}

export function formatProblem(problem: DocumentProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}
