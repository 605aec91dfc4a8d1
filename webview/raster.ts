/**
 * SVG → PNG inside the panel (the host writes the bytes; a webview cannot write files). The SVG
 * is self-contained (colours inlined, heatmaps as data: images), so drawing it leaves the canvas
 * untainted. It is loaded as a data: URL, which the CSP's img-src allows.
 */
export async function svgToPng(svg: string, width: number, height: number, scale: number): Promise<Uint8Array> {
  const img = new Image();
  img.src = `data:image/svg+xml;base64,${base64(new TextEncoder().encode(svg))}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the diagram could not be encoded as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

function base64(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(s);
}
