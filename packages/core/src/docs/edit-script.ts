/**
 * Myers' O((N+M)·D) shortest edit script between two sequences, compared by index: fast when few elements
 * changed, whatever the length. Shared by the text merge (characters) and the history's word diff (words).
 */

/**
 * How many leading elements two sequences of lengths `n` and `m` share (`prefix`), and how many trailing ones
 * after those (`suffix`, never overlapping the prefix): the usual first step of a diff, since most edits touch a
 * little in the middle.
 */
export function commonEnds(
  n: number,
  m: number,
  same: (x: number, y: number) => boolean,
): { prefix: number; suffix: number } {
  const min = Math.min(n, m);
  let prefix = 0;
  while (prefix < min && same(prefix, prefix)) prefix++;
  let suffix = 0;
  while (suffix < min - prefix && same(n - 1 - suffix, m - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** One edit, at `x` in the first sequence and `y` in the second: `a[x]` deleted, or `b[y]` inserted before `a[x]`. */
export interface Edit {
  kind: 'del' | 'ins';
  x: number;
  y: number;
}

/**
 * The edits turning a sequence of length `n` into one of length `m` (`same(x, y)`: whether `a[x]` equals `b[y]`),
 * in order, or null when more than `maxD` insertions and deletions are needed. Everything between edits is kept.
 */
export function shortestEdits(
  n: number,
  m: number,
  same: (x: number, y: number) => boolean,
  maxD: number,
): Edit[] | null {
  const off = n + m + 1;
  const v = new Int32Array(2 * off + 1);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(maxD, n + m); d++) {
    trace.push(v.slice(off - d, off + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number))
          ? (v[off + k + 1] as number)
          : (v[off + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && same(x, y)) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(n, m, trace, d);
    }
  }
  return null;
}

function backtrack(n: number, m: number, trace: Int32Array[], dEnd: number): Edit[] {
  const out: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const t = trace[d] as Int32Array; // v before step d, k in [-d, d] at index k + d
    const at = (k: number) => t[k + d] as number;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    // Back along the kept run, then the one edit of this step.
    x = prevX;
    y = prevY;
    out.push({ kind: prevK === k + 1 ? 'ins' : 'del', x, y });
  }
  return out.reverse();
}
