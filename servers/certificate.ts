import selfsigned from 'selfsigned';

/** A certificate for these host names, generated at start; the engines are told to accept it. */
export async function certificateFor(hostNames: readonly string[]): Promise<{ key: string; cert: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: hostNames[0] ?? 'cors-matrix.localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: hostNames.map((value) => ({ type: 2, value })) },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
