# The tongket server image: `tongketd` (the server) and `tongket` (the client,
# used by the HEALTHCHECK) on a distroless runtime, running as a non-root user
# and keeping its sled database in the /data volume.
#
#   docker build -t tongket .
#   docker run -d --name tongket -p 50051:50051 -v tongket-data:/data tongket
#   docker stop tongket      # SIGTERM goes straight to tongketd: clean exit 0

FROM rust:1-bookworm AS build
WORKDIR /src

# Dependencies first, in a layer of their own: it is rebuilt only when the
# manifest, the lock file, build.rs or the .proto contract change, not on
# every source edit. The placeholders stand in for the crate's own targets.
COPY Cargo.toml Cargo.lock build.rs ./
COPY proto ./proto
COPY scripts/stub-targets.sh ./scripts/
RUN sh scripts/stub-targets.sh \
 && cargo build --release --locked --bins

# The real sources. COPY keeps their old mtimes, which would look older than
# the placeholders' build: touch them so cargo rebuilds the crate itself.
# The debug info (mostly the standard library's) is ~100 MB per binary;
# stripping it keeps the symbols, so backtraces still name functions.
COPY tables ./tables
COPY src ./src
RUN find src -name '*.rs' -exec touch {} + \
 && cargo build --release --locked --bins \
 && install -D -m 0755 -t /out/bin target/release/tongketd target/release/tongket \
 && strip --strip-debug /out/bin/tongketd /out/bin/tongket \
 && install -d -m 0750 /out/data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/bin/ /usr/local/bin/
# The volume's mount point belongs to the runtime user, so a fresh named
# volume (which copies it) is writable without running as root.
COPY --from=build --chown=65532:65532 /out/data /data
ENV TONGKET_LISTEN=0.0.0.0:50051 \
    TONGKET_DATA_DIR=/data \
    TONGKET_SERVER=http://127.0.0.1:50051
USER 65532:65532
VOLUME /data
EXPOSE 50051
# Exec form: distroless has no shell. `tongket health` exits 0 only when the
# server's grpc.health.v1 status is SERVING.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/tongket", "health"]
# Exec form, so tongketd is PID 1 and receives SIGTERM from `docker stop`.
ENTRYPOINT ["/usr/local/bin/tongketd"]
