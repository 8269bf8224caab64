//! The running server: a TCP accept loop that serves each connection with hyper, so that a
//! [`Fault::DropConnection`](crate::Fault::DropConnection) can close the socket without any
//! HTTP response (axum's own `serve` always answers). A private server
//! ([`Sim::start_private`]) has no admin routes and checks each request's `Host` first.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::config::SimConfig;
use crate::faults::{DropConnectionMarker, Fault};
use crate::state::{RecordedRequest, SimState};
use crate::{admin, handlers};

/// How long [`Sim::shutdown`] lets requests in progress finish before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Returned by the connection's service to make hyper close the socket without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped on purpose by the drop_connection fault")]
struct ConnectionDropped;

/// A running simulator. It stops on [`Sim::shutdown`], or when dropped.
#[derive(Debug)]
pub struct Sim {
    addr: SocketAddr,
    state: Arc<SimState>,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl Sim {
    /// Starts on `127.0.0.1` at a free port.
    pub async fn start(config: SimConfig) -> io::Result<Sim> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts on `addr` (port 0 picks a free port).
    pub async fn start_on(addr: SocketAddr, config: SimConfig) -> io::Result<Sim> {
        Self::launch(addr, config, false).await
    }

    /// Starts on `127.0.0.1` at a free port, for use inside an app (Practice mode): see
    /// [`Sim::start_private_on`].
    pub async fn start_private(config: SimConfig) -> io::Result<Sim> {
        Self::start_private_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts on `addr` serving only the two Octopods endpoints, and only to requests sent to
    /// this server's own address:
    ///
    /// - no `/_sim` admin endpoints (they answer 404, like any unknown admin path): the
    ///   program that started it uses [`Sim::requests`], [`Sim::push_fault`] and the others
    ///   in-process, and nobody else on the computer can read what was sent or change how it
    ///   answers;
    /// - the `Host` must be exactly `127.0.0.1:PORT` or `[::1]:PORT` (or the address it listens
    ///   on, when that is another one), the same in an absolute request target: a web page whose
    ///   name an attacker points at 127.0.0.1 (DNS rebinding) sends its own name and is answered
    ///   `421 Misdirected Request` with an empty body, before anything is read, recorded or
    ///   faulted. The name `localhost` is refused too: no client of this server uses it (the
    ///   Octopods client takes plain `http` only for loopback IP literals), and a name is what a
    ///   resolver can be made to answer for, an IP literal is not.
    pub async fn start_private_on(addr: SocketAddr, config: SimConfig) -> io::Result<Sim> {
        Self::launch(addr, config, true).await
    }

    async fn launch(addr: SocketAddr, config: SimConfig, private: bool) -> io::Result<Sim> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(SimState::new(config));
        let routes = if private {
            handlers::routes()
        } else {
            handlers::routes().merge(admin::routes())
        };
        let app = routes
            .fallback(handlers::not_found)
            .with_state(Arc::clone(&state));
        let hosts = private.then(|| Arc::new(Hosts::of(addr)));
        let (stop, stopping) = watch::channel(false);
        let server = tokio::spawn(serve(listener, app, hosts, stopping));
        Ok(Sim {
            addr,
            state,
            stop,
            server,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, to use as a channel's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every API request received so far, oldest first (admin requests are not included), each
    /// with its arrival time on the simulator's own clock ([`RecordedRequest::received_ms`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// Queues a fault for the next API request only. Queued faults are used in order, before
    /// the persistent one.
    pub fn push_fault(&self, fault: Fault) {
        self.state.push_fault(fault);
    }

    /// Applies `fault` to every API request until set to `None`.
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.state.set_fault(fault);
    }

    /// Forgets every fault, queued and persistent.
    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }

    /// Stops accepting connections, lets requests in progress finish (for a short while), and
    /// returns when the server has stopped.
    pub async fn shutdown(self) {
        self.stop.send_replace(true);
        // A panic inside the server task has nothing left to clean up.
        let _ = self.server.await;
    }
}

/// Resolves when the simulator is told to stop, or when its [`Sim`] is dropped.
async fn stopped(mut stopping: watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// The `Host` values a private server answers ([`Sim::start_private_on`]).
#[derive(Debug)]
struct Hosts(Vec<String>);

impl Hosts {
    /// `127.0.0.1:PORT`, `[::1]:PORT`, and the address listened on (when it is not the
    /// unspecified `0.0.0.0` or `[::]`).
    fn of(addr: SocketAddr) -> Self {
        let port = addr.port();
        let mut hosts = vec![
            SocketAddr::from((Ipv4Addr::LOCALHOST, port)).to_string(),
            SocketAddr::from((Ipv6Addr::LOCALHOST, port)).to_string(),
        ];
        if !addr.ip().is_unspecified() && !hosts.contains(&addr.to_string()) {
            hosts.push(addr.to_string());
        }
        Self(hosts)
    }

    fn allow(&self, host: &str) -> bool {
        self.0.iter().any(|allowed| allowed == host)
    }

    /// Whether `request` names this server: exactly one `Host` header, allowed, and an
    /// absolute request target (if any) with the same authority.
    fn allows<B>(&self, request: &Request<B>) -> bool {
        let mut values = request.headers().get_all(header::HOST).iter();
        let (Some(host), None) = (values.next(), values.next()) else {
            return false;
        };
        let Ok(host) = host.to_str() else {
            return false;
        };
        self.allow(host)
            && request
                .uri()
                .authority()
                .is_none_or(|authority| authority.as_str() == host)
    }
}

/// `421 Misdirected Request`, empty: the answer to a request for another host.
fn misdirected() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::MISDIRECTED_REQUEST;
    response
}

async fn serve(
    listener: TcpListener,
    app: Router,
    hosts: Option<Arc<Hosts>>,
    stopping: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    let stop = stopped(stopping.clone());
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(
                        stream,
                        app.clone(),
                        hosts.clone(),
                        stopping.clone(),
                    ));
                }
                // Out of file descriptors or similar: wait a little rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(SHUTDOWN_GRACE, drain).await.is_err() {
        connections.abort_all();
    }
}

async fn connection(
    stream: TcpStream,
    app: Router,
    hosts: Option<Arc<Hosts>>,
    stopping: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let app = app.clone();
        // Checked before the router: no handler runs, nothing is recorded or faulted.
        let refused = hosts.as_ref().is_some_and(|hosts| !hosts.allows(&request));
        async move {
            if refused {
                return Ok(misdirected());
            }
            let response = match app.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response
                .extensions()
                .get::<DropConnectionMarker>()
                .is_some()
            {
                Err(ConnectionDropped)
            } else {
                Ok(response)
            }
        }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        // An error here is the client going away or a dropped connection: nothing to do.
        _ = conn.as_mut() => return,
        () = stopped(stopping) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}
