//! TLS for a server connection: encrypted whenever the server offers it (the URL's
//! `sslmode`: `prefer` by default, `require`, or `disable`), and the server's
//! certificate always verified — its chain against the system's trusted roots and the
//! CA file `PGSSLROOTCERT` names, and the host name in the URL against it — as libpq
//! does for `sslmode=verify-full`.

use crate::store::StoreError;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

pub(super) fn connector(location: &str) -> Result<MakeRustlsConnect, StoreError> {
    let failed = |message: String| StoreError::Server {
        location: location.to_string(),
        message,
    };
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A system certificate rustls cannot use is one fewer root, not a failure.
        let _ = roots.add(cert);
    }
    if let Some(path) = std::env::var_os("PGSSLROOTCERT") {
        let shown = std::path::Path::new(&path).display().to_string();
        let certs = CertificateDer::pem_file_iter(&path)
            .map_err(|e| failed(format!("PGSSLROOTCERT {shown}: {e}")))?;
        for cert in certs {
            let cert = cert.map_err(|e| failed(format!("PGSSLROOTCERT {shown}: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| failed(format!("PGSSLROOTCERT {shown}: {e}")))?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| failed(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}
