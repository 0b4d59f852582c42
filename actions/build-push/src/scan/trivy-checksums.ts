/**
 * The pinned Trivy release and the SHA-256 list of its archives, shipped inside the action so a download is
 * checked against what was reviewed, never against a checksum file fetched next to it (which whoever
 * tampered with the archive could change too). 0.69.3 is the last release before the supply-chain incident in
 * which later trivy releases were reported compromised; bump both together after reviewing a release.
 * Format: the release's own trivy_<version>_checksums.txt (`<sha256>  <file>`).
 */
export const TRIVY_VERSION = '0.69.3';

export const TRIVY_CHECKSUMS = `
1816b632dfe529869c740c0913e36bd1629cb7688bd5634f4a858c1d57c88b75  trivy_0.69.3_Linux-64bit.tar.gz
7e3924a974e912e57b4a99f65ece7931f8079584dae12eb7845024f97087bdfd  trivy_0.69.3_Linux-ARM64.tar.gz
fec4a9f7569b624dd9d044fca019e5da69e032700edbb1d7318972c448ec2f4e  trivy_0.69.3_macOS-64bit.tar.gz
a2f2179afd4f8bb265ca3c7aefb56a666bc4a9a411663bc0f22c3549fbc643a5  trivy_0.69.3_macOS-ARM64.tar.gz
`;
