/** The SVG chart: bytes written to S3 per message against history depth, ours vs the baseline (log-log). */
export interface ChartPoint {
  depth: number;
  ours: number;
  baseline: number;
}

const width = 720;
const height = 420;
const margin = { left: 90, right: 30, top: 50, bottom: 60 };

export function historyChart(points: readonly ChartPoint[], subtitle: string): string {
  const xs = points.map((p) => p.depth);
  const ys = points.flatMap((p) => [p.ours, p.baseline]).filter((v) => v > 0);
  // Half a decade of room either side, so the end points and their labels stay inside.
  const xMin = Math.log10(Math.min(...xs)) - 0.25;
  const xMax = Math.log10(Math.max(...xs)) + 0.25;
  const yMin = Math.floor(Math.log10(Math.min(...ys)));
  const yMax = Math.ceil(Math.log10(Math.max(...ys)));
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (v: number) => margin.left + ((Math.log10(v) - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => margin.top + plotH - ((Math.log10(Math.max(v, 1)) - yMin) / Math.max(1, yMax - yMin)) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Bytes written to S3 per message vs. history depth</text>`);
  parts.push(`<text x="${width / 2}" y="40" text-anchor="middle" fill="#555">${escape(subtitle)}</text>`);
  for (let e = yMin; e <= yMax; e++) {
    const yy = y(10 ** e);
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${yy}" y2="${yy}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${yy + 4}" text-anchor="end">${human(10 ** e)}</text>`);
  }
  for (let e = Math.ceil(xMin); e <= Math.floor(xMax); e++) {
    const xx = x(10 ** e);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${xx}" y="${margin.top + plotH + 18}" text-anchor="middle">${(10 ** e).toLocaleString("en-US")}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 18}" text-anchor="middle">messages already in the channel (log scale)</text>`);
  parts.push(`<text transform="translate(20 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">bytes written per message (log scale)</text>`);
  const series = [
    { name: "baseline (one document per view, rewritten whole)", key: "baseline" as const, color: "#d62728" },
    { name: "ours (fixed-size pages + small head)", key: "ours" as const, color: "#1f77b4" },
  ];
  for (const s of series) {
    const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.depth).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(" ");
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2.5"/>`);
    for (const p of points) {
      parts.push(`<circle cx="${x(p.depth).toFixed(1)}" cy="${y(p[s.key]).toFixed(1)}" r="4" fill="${s.color}"><title>${p.depth.toLocaleString("en-US")} messages: ${p[s.key].toLocaleString("en-US")} bytes/message</title></circle>`);
      const dy = s.key === "ours" ? 18 : -9;
      parts.push(`<text x="${x(p.depth).toFixed(1)}" y="${(y(p[s.key]) + dy).toFixed(1)}" text-anchor="middle" fill="${s.color}" font-size="11">${human(p[s.key])}</text>`);
    }
  }
  series.forEach((s, i) => {
    const ly = margin.top + 16 + i * 18;
    parts.push(`<line x1="${margin.left + 12}" x2="${margin.left + 36}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"/>`);
    parts.push(`<text x="${margin.left + 42}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  parts.push(`</svg>`);
  return `${parts.join("\n")}\n`;
}

function human(bytes: number): string {
  if (bytes >= 1e9) return `${trim(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${trim(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${trim(bytes / 1e3)} kB`;
  return `${Math.round(bytes)} B`;
}

const trim = (n: number) => (n >= 100 ? Math.round(n).toString() : n >= 10 ? n.toFixed(1).replace(/\.0$/, "") : n.toFixed(2).replace(/\.?0+$/, ""));

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
