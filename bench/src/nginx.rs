//! The reference for reads: nginx (Debian's package) serving the same JSON as a file.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Nginx {
    child: Child,
}

impl Nginx {
    /// Serves `dir` on a loopback port with one worker per core, access log off.
    pub fn start(dir: &Path, work: &Path, port: u16) -> anyhow::Result<Nginx> {
        let config = work.join("nginx.conf");
        std::fs::create_dir_all(work.join("logs"))?;
        std::fs::write(
            &config,
            format!(
                "daemon off;\nworker_processes auto;\npid {pid};\nerror_log {err} warn;\n\
                 events {{ worker_connections 1024; }}\n\
                 http {{\n  access_log off;\n  default_type application/json;\n  sendfile on;\n\
                 client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n  fastcgi_temp_path {tmp};\n\
                 uwsgi_temp_path {tmp};\n  scgi_temp_path {tmp};\n\
                 server {{ listen 127.0.0.1:{port}; root {root}; }}\n}}\n",
                pid = work.join("nginx.pid").display(),
                err = work.join("logs/error.log").display(),
                tmp = work.display(),
                root = dir.display(),
            ),
        )?;
        let child = Command::new(nginx_binary())
            .arg("-p")
            .arg(work)
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting nginx (apt-get install nginx-light)")?;
        Ok(Nginx { child })
    }
}

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("nginx"))
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
