import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * Chart.js's UMD bundle (it defines the global `Chart`), read from the installed package so report.html can
 * inline it and open offline. The package's exports do not list the UMD file, so it is found beside the main
 * entry. Escaped for an inline <script>: nothing in it may read as `</script` or `<!--`.
 */
export function chartJsSource(): string {
  if (cached === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    const source = readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
    cached = source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  }
  return cached;
}
