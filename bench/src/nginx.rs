//! The reference for reads: nginx (Debian's package) serving the same JSON as a file; and
//! nginx as the load balancer in front of several instances.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Nginx {
    child: Child,
}

impl Nginx {
    /// Serves `dir` on a loopback port with one worker per core, access log off.
    pub fn start(dir: &Path, work: &Path, port: u16) -> anyhow::Result<Nginx> {
        Nginx::run(
            work,
            &format!(
                "  server {{ listen 127.0.0.1:{port}; root {root}; }}\n",
                root = dir.display()
            ),
        )
    }

    /// A load balancer as deployed in front of several instances: for each
    /// `(port, instances)`, a server on that port proxying to an upstream of those
    /// instances (`http://host:port`), round-robin, with kept-alive connections to them.
    pub fn balancer(work: &Path, fronts: &[(u16, Vec<String>)]) -> anyhow::Result<Nginx> {
        let mut servers = String::new();
        for (i, (port, instances)) in fronts.iter().enumerate() {
            servers.push_str(&format!("  upstream instances_{i} {{\n"));
            for instance in instances {
                let address = instance
                    .strip_prefix("http://")
                    .context("an instance's http:// address")?;
                servers.push_str(&format!("    server {address};\n"));
            }
            servers.push_str(&format!(
                "    keepalive 64;\n  }}\n\
                 server {{\n    listen 127.0.0.1:{port};\n    location / {{\n\
                 proxy_pass http://instances_{i};\n      proxy_http_version 1.1;\n\
                 proxy_set_header Connection \"\";\n      proxy_set_header Host $host;\n\
                 proxy_set_header X-Forwarded-For $remote_addr;\n    }}\n  }}\n"
            ));
        }
        Nginx::run(work, &servers)
    }

    fn run(work: &Path, servers: &str) -> anyhow::Result<Nginx> {
        let config = work.join("nginx.conf");
        std::fs::create_dir_all(work.join("logs"))?;
        std::fs::write(
            &config,
            format!(
                "daemon off;\nworker_processes auto;\npid {pid};\nerror_log {err} warn;\n\
                 events {{ worker_connections 1024; }}\n\
                 http {{\n  access_log off;\n  default_type application/json;\n  sendfile on;\n\
                 client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n  fastcgi_temp_path {tmp};\n\
                 uwsgi_temp_path {tmp};\n  scgi_temp_path {tmp};\n{servers}}}\n",
                pid = work.join("nginx.pid").display(),
                err = work.join("logs/error.log").display(),
                tmp = work.display(),
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
