/** node:zlib in the page: the data sets arrive unzipped (`playground:data`), so nothing calls this. */
export function gunzipSync(): never {
  throw new Error('the playground cannot gunzip: its data sets are built into the page');
}
