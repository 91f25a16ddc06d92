//! TLS fakes for the probe tests: a test CA (rcgen) and the leaf certificates it signs (valid,
//! expired, for another name), a self-signed certificate, and a loopback HTTPS server that
//! records every HTTP request that got past the handshake — so a test can assert that no
//! request, and so no credential, reached a server the probe must not trust.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// A certificate and its private key, as a server presents them.
pub struct Leaf {
    pub cert: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

/// A certificate authority made for one test.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    /// The CA certificate in PEM: what `--ca-file` is given.
    pub pem: String,
}

impl TestCa {
    pub fn new() -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, "paydoctor test CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let pem = params.self_signed(&key).unwrap().pem();
        TestCa { issuer: Issuer::new(params, key), pem }
    }

    /// A server certificate for `names` (DNS names or IP addresses), valid from `from` to
    /// `until` seconds relative to now.
    pub fn leaf(&self, names: &[&str], from: i64, until: i64) -> Leaf {
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
        let at = |offset: i64| rcgen::date_time_ymd(1970, 1, 1) + Duration::from_secs((now + offset) as u64);
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(DnType::CommonName, names[0]);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.not_before = at(from);
        params.not_after = at(until);
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf { cert: cert.der().clone(), key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())) }
    }

    /// Write the CA certificate to `dir/ca.pem` and return the path as a string.
    pub fn write(&self, dir: &std::path::Path) -> String {
        let path = dir.join("ca.pem");
        std::fs::write(&path, &self.pem).unwrap();
        path.to_str().unwrap().to_string()
    }
}

const DAY: i64 = 86_400;

/// Valid from yesterday for a year.
pub const VALID: (i64, i64) = (-DAY, 365 * DAY);
/// Issued a month ago, expired yesterday.
pub const EXPIRED: (i64, i64) = (-30 * DAY, -DAY);

/// A self-signed certificate for 127.0.0.1 that no CA vouches for.
pub fn self_signed() -> Leaf {
    let c = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    Leaf {
        cert: c.cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(c.signing_key.serialize_der())),
    }
}

/// An HTTPS server on 127.0.0.1 presenting `leaf`, answering every request with a Stripe-like
/// balance (HTTP 200), on its own threads so tests stay synchronous.
pub struct TlsServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl TlsServer {
    pub fn start(leaf: &Leaf) -> TlsServer {
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.cert.clone()], leaf.key.clone_key())
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            for tcp in listener.incoming().flatten() {
                let (config, log) = (config.clone(), log.clone());
                std::thread::spawn(move || serve(config, tcp, &log));
            }
        });
        TlsServer { port, requests }
    }

    pub fn base(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// The request heads (request line and headers) that arrived after a handshake.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(config: Arc<rustls::ServerConfig>, tcp: TcpStream, log: &Mutex<Vec<String>>) {
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut tls = rustls::StreamOwned::new(rustls::ServerConnection::new(config).unwrap(), tcp);
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    // A failed handshake (the client refused the certificate) ends here with nothing read.
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    if head.is_empty() {
        return;
    }
    log.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
    let body = r#"{"object":"balance","livemode":false,"available":[]}"#;
    let _ = write!(
        tls,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.conn.send_close_notify();
    let _ = tls.flush();
}
