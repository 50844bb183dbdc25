/** Saves a file the background produced (an export) through a temporary object URL. */
export function downloadFile(file: { filename: string; mime: string; body: string }): void {
  const url = URL.createObjectURL(new Blob([file.body], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
