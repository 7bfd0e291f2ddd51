// A small catalogue of Nessus plugins the seeded scans report, with the ports each is found on. Texts are short
// paraphrases; ids and CVEs are the public ones.
import type { Severity } from "./conventions";

export interface PluginTemplate {
  id: number;
  name: string;
  family: string;
  severity: Severity;
  cve?: string[];
  synopsis: string;
  description: string;
  solution: string;
  cvss3?: number;
  vpr?: number;
  exploit?: boolean;
  /** Where it is found: [port, protocol, service]; port 0 is a host-level finding. */
  ports: readonly (readonly [number, string, string])[];
}

const TLS_PORTS = [
  [443, "TCP", "www"],
  [8443, "TCP", "www"],
  [636, "TCP", "ldap"],
] as const;
const WEB_PORTS = [
  [80, "TCP", "www"],
  [443, "TCP", "www"],
  [8080, "TCP", "www"],
] as const;
const SSH_PORTS = [[22, "TCP", "ssh"]] as const;
const SMB_PORTS = [[445, "TCP", "cifs"]] as const;
const HOST = [[0, "TCP", "general"]] as const;

const UPGRADE_TLS = "Reconfigure the service to support only TLS 1.2 and later.";

export const PLUGINS: readonly PluginTemplate[] = [
  { id: 19506, name: "Nessus Scan Information", family: "Settings", severity: "info", synopsis: "This plugin displays information about the Nessus scan.", description: "Information about this scan: plugin set, scanner, credentials used and scan duration.", solution: "n/a", ports: HOST },
  { id: 11936, name: "OS Identification", family: "General", severity: "info", synopsis: "It is possible to guess the remote operating system.", description: "Using a combination of remote probes, it is possible to guess the name of the remote operating system in use.", solution: "n/a", ports: HOST },
  { id: 45590, name: "Common Platform Enumeration (CPE)", family: "General", severity: "info", synopsis: "It was possible to enumerate CPE names that matched on the remote system.", description: "By using information obtained from a Nessus scan, this plugin reports CPE matches for various hardware and software products.", solution: "n/a", ports: HOST },
  { id: 22964, name: "Service Detection", family: "Service detection", severity: "info", synopsis: "The remote service could be identified.", description: "Nessus was able to identify the remote service by its banner or by looking at the error message it sends.", solution: "n/a", ports: [...WEB_PORTS, ...SSH_PORTS] },
  { id: 10107, name: "HTTP Server Type and Version", family: "Web Servers", severity: "info", synopsis: "A web server is running on the remote host.", description: "This plugin attempts to determine the type and the version of the remote web server.", solution: "n/a", ports: WEB_PORTS },
  { id: 10863, name: "SSL Certificate Information", family: "General", severity: "info", synopsis: "This plugin displays the SSL certificate.", description: "This plugin connects to every SSL-related port and attempts to extract and dump the X.509 certificate.", solution: "n/a", ports: TLS_PORTS },
  { id: 10881, name: "SSH Protocol Versions Supported", family: "General", severity: "info", synopsis: "A SSH server is running on the remote host.", description: "This plugin determines the versions of the SSH protocol supported by the remote SSH daemon.", solution: "n/a", ports: SSH_PORTS },
  { id: 70658, name: "SSH Server CBC Mode Ciphers Enabled", family: "Misc.", severity: "low", cve: ["CVE-2008-5161"], synopsis: "The SSH server is configured to use Cipher Block Chaining.", description: "The SSH server is configured to support CBC encryption, which may allow an attacker to recover plaintext from ciphertext.", solution: "Disable CBC mode cipher encryption and enable CTR or GCM cipher mode encryption.", cvss3: 3.7, vpr: 2.5, ports: SSH_PORTS },
  { id: 71049, name: "SSH Weak MAC Algorithms Enabled", family: "Misc.", severity: "low", synopsis: "The remote SSH server is configured to allow MD5 and 96-bit MAC algorithms.", description: "The remote SSH server is configured to allow either MD5 or 96-bit MAC algorithms, both of which are considered weak.", solution: "Disable MD5 and 96-bit MAC algorithms.", cvss3: 2.6, ports: SSH_PORTS },
  { id: 153953, name: "SSH Weak Key Exchange Algorithms Enabled", family: "Misc.", severity: "medium", synopsis: "The remote SSH server is configured to allow weak key exchange algorithms.", description: "The remote SSH server supports key exchange algorithms that RFC 9142 advises against.", solution: "Contact the vendor or consult product documentation to disable the weak algorithms.", cvss3: 5.3, ports: SSH_PORTS },
  { id: 187315, name: "SSH Terrapin Prefix Truncation Weakness (CVE-2023-48795)", family: "Misc.", severity: "medium", cve: ["CVE-2023-48795"], synopsis: "The remote SSH server is vulnerable to a MitM prefix truncation attack.", description: "The remote SSH server supports ChaCha20-Poly1305 or CBC with Encrypt-then-MAC, allowing an attacker to truncate the handshake.", solution: "Upgrade the SSH server, or disable the affected algorithms.", cvss3: 5.9, vpr: 6.1, exploit: true, ports: SSH_PORTS },
  { id: 104743, name: "TLS Version 1.0 Protocol Detection", family: "Service detection", severity: "medium", synopsis: "The remote service encrypts traffic using an older version of TLS.", description: "The remote service accepts connections encrypted using TLS 1.0, which has a number of cryptographic design flaws.", solution: UPGRADE_TLS, cvss3: 6.5, ports: TLS_PORTS },
  { id: 157288, name: "TLS Version 1.1 Deprecated Protocol", family: "Service detection", severity: "medium", synopsis: "The remote service encrypts traffic using an older version of TLS.", description: "The remote service accepts connections encrypted using TLS 1.1, deprecated by RFC 8996.", solution: UPGRADE_TLS, cvss3: 6.5, ports: TLS_PORTS },
  { id: 42873, name: "SSL Medium Strength Cipher Suites Supported (SWEET32)", family: "General", severity: "high", cve: ["CVE-2016-2183"], synopsis: "The remote service supports the use of medium strength SSL ciphers.", description: "The remote host supports SSL ciphers that offer medium strength encryption, including 3DES, which is affected by SWEET32.", solution: "Reconfigure the affected application to avoid medium strength ciphers.", cvss3: 7.5, vpr: 6.1, ports: TLS_PORTS },
  { id: 65821, name: "SSL RC4 Cipher Suites Supported (Bar Mitzvah)", family: "General", severity: "medium", cve: ["CVE-2013-2566", "CVE-2015-2808"], synopsis: "The remote service supports the use of the RC4 cipher.", description: "The remote host supports RC4, whose pseudo-random bytes are biased, allowing plaintext recovery.", solution: "Reconfigure the affected application to avoid RC4 ciphers.", cvss3: 5.9, vpr: 4.4, ports: TLS_PORTS },
  { id: 51192, name: "SSL Certificate Cannot Be Trusted", family: "General", severity: "medium", synopsis: "The SSL certificate for this service cannot be trusted.", description: "The server's X.509 certificate cannot be trusted: its chain does not end in a known public certificate authority.", solution: "Purchase or generate a proper SSL certificate for this service.", cvss3: 6.5, ports: TLS_PORTS },
  { id: 57582, name: "SSL Self-Signed Certificate", family: "General", severity: "medium", synopsis: "The SSL certificate chain for this service ends in an unrecognized self-signed certificate.", description: "The certificate chain for this service ends in a self-signed certificate not from a known authority.", solution: "Purchase or generate a proper SSL certificate for this service.", cvss3: 6.5, ports: TLS_PORTS },
  { id: 15901, name: "SSL Certificate Expiry", family: "General", severity: "medium", synopsis: "The remote server's SSL certificate has already expired.", description: "This plugin checks expiry dates of certificates associated with SSL-enabled services and reports whether any have already expired.", solution: "Purchase or generate a new SSL certificate to replace the existing one.", cvss3: 5.3, ports: TLS_PORTS },
  { id: 35291, name: "SSL Certificate Signed Using Weak Hashing Algorithm", family: "General", severity: "medium", cve: ["CVE-2004-2761"], synopsis: "An SSL certificate in the certificate chain has been signed using a weak hash algorithm.", description: "The remote service uses a certificate chain signed with a weak hashing algorithm such as MD5 or SHA-1.", solution: "Contact the Certificate Authority to have the SSL certificate reissued.", cvss3: 7.5, vpr: 5.1, ports: TLS_PORTS },
  { id: 84502, name: "HSTS Missing From HTTPS Server", family: "Web Servers", severity: "medium", synopsis: "The remote web server is not enforcing HSTS.", description: "The remote HTTPS server does not send the HTTP Strict-Transport-Security header.", solution: "Configure the remote web server to use HSTS.", cvss3: 6.5, ports: [[443, "TCP", "www"]] },
  { id: 85582, name: "Web Application Potentially Vulnerable to Clickjacking", family: "Web Servers", severity: "medium", synopsis: "The remote web server may fail to mitigate a class of web application vulnerabilities.", description: "The remote web server does not set an X-Frame-Options or a Content-Security-Policy frame-ancestors response header.", solution: "Return the X-Frame-Options or Content-Security-Policy (frame-ancestors) HTTP header with the page's response.", cvss3: 4.3, ports: WEB_PORTS },
  { id: 11213, name: "HTTP TRACE / TRACK Methods Allowed", family: "Web Servers", severity: "medium", cve: ["CVE-2003-1567", "CVE-2004-2320", "CVE-2010-0386"], synopsis: "Debugging functions are enabled on the remote web server.", description: "The remote web server supports the TRACE and/or TRACK methods, used to debug web server connections.", solution: "Disable these HTTP methods.", cvss3: 5.3, vpr: 4.0, exploit: true, ports: WEB_PORTS },
  { id: 156032, name: "Apache Log4Shell RCE detection via callback correlation (Direct Check HTTP)", family: "Web Servers", severity: "critical", cve: ["CVE-2021-44228"], synopsis: "The remote web server is affected by a remote code execution vulnerability.", description: "The remote web server uses a version of Apache Log4j affected by a remote code execution vulnerability in JNDI lookups.", solution: "Upgrade to Apache Log4j 2.17.1 or later.", cvss3: 10.0, vpr: 10.0, exploit: true, ports: WEB_PORTS },
  { id: 58987, name: "PHP Unsupported Version Detection", family: "CGI abuses", severity: "critical", synopsis: "The remote host contains an unsupported version of a web application scripting language.", description: "According to its version, the installation of PHP on the remote host is no longer supported.", solution: "Upgrade to a version of PHP that is currently supported.", cvss3: 10.0, ports: [[80, "TCP", "www"]] },
  { id: 97833, name: "MS17-010: Security Update for Microsoft Windows SMB Server (ETERNALBLUE)", family: "Windows", severity: "critical", cve: ["CVE-2017-0143", "CVE-2017-0144", "CVE-2017-0145"], synopsis: "The remote Windows host is affected by multiple vulnerabilities.", description: "The remote Windows host is affected by multiple remote code execution vulnerabilities in Microsoft Server Message Block 1.0.", solution: "Apply the MS17-010 updates; disable SMBv1.", cvss3: 8.1, vpr: 9.8, exploit: true, ports: SMB_PORTS },
  { id: 57608, name: "SMB Signing not required", family: "Misc.", severity: "medium", synopsis: "Signing is not required on the remote SMB server.", description: "Signing is not required on the remote SMB server, allowing man-in-the-middle attacks against it.", solution: "Enforce message signing in the host's configuration.", cvss3: 5.3, ports: SMB_PORTS },
  { id: 33850, name: "Unix Operating System Unsupported Version Detection", family: "General", severity: "critical", synopsis: "The operating system running on the remote host is no longer supported.", description: "According to its self-reported version number, the Unix operating system on the remote host is no longer supported.", solution: "Upgrade to a version of the Unix operating system that is currently supported.", cvss3: 10.0, ports: HOST },
  { id: 181288, name: "OpenSSH < 9.3p2 Vulnerability", family: "Misc.", severity: "critical", cve: ["CVE-2023-38408"], synopsis: "The SSH server running on the remote host is affected by a vulnerability.", description: "The PKCS#11 feature in ssh-agent in OpenSSH before 9.3p2 has an insufficiently trustworthy search path, allowing remote code execution.", solution: "Upgrade to OpenSSH version 9.3p2 or later.", cvss3: 9.8, vpr: 7.4, ports: SSH_PORTS },
];

/** One place a plugin can be found: a plugin on one port. An asset has at most one finding per slot. */
export interface PluginSlot {
  plugin: PluginTemplate;
  port: number;
  protocol: string;
  service: string;
}

export const PLUGIN_SLOTS: readonly PluginSlot[] = PLUGINS.flatMap((plugin) =>
  plugin.ports.map(([port, protocol, service]) => ({ plugin, port, protocol, service })),
);

/** Slots past the catalogue, for very large findings-per-asset settings: numbered "generated" plugins. */
export function generatedSlot(n: number): PluginSlot {
  return {
    plugin: {
      id: 900_000 + n,
      name: `Generated check ${n}`,
      family: "General",
      severity: (["low", "medium", "high"] as const)[n % 3] ?? "low",
      synopsis: "A generated finding for scale tests.",
      description: "A finding generated by Postura's Tenable simulator to reach a large number of findings per asset.",
      solution: "n/a",
      cvss3: 5.0,
      ports: HOST,
    },
    port: 0,
    protocol: "TCP",
    service: "general",
  };
}
