/** The portal accepts the number with slashes, spaces or nothing between the parts, and CIPC's K/M/B/CK prefix. */
export function parseEnterpriseNumber(input: string): string | undefined {
  const match = /^(?:[KMB]|CK)?(\d{4})[\s/-]*(\d{6})[\s/-]*(\d{2})$/i.exec(input.trim());
  return match ? `${match[1]}/${match[2]}/${match[3]}` : undefined;
}
