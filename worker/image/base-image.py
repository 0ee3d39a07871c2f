#!/usr/bin/env python3
"""Builds the worker's base image as a `docker save` tar, without a Docker engine or a registry.

No base image can be pulled here (no registry is reachable), so the base is assembled from the
machine's own JDK: a jlink'ed Java 17 runtime, exactly the shared libraries it links against (ldd),
the CA certificates, a non-root user (65532) and the kubeconfig directory it owns. Jib then layers
the worker on top (`tar://` base, see the `image` profile in worker/pom.xml).

    worker/image/base-image.py OUT.tar [TAG]
"""
import hashlib, io, json, os, shutil, subprocess, sys, tarfile, tempfile

MODULES = ",".join([
    "java.se", "jdk.unsupported", "jdk.crypto.ec", "jdk.crypto.cryptoki", "jdk.management",
    "jdk.management.agent", "jdk.naming.dns", "jdk.zipfs", "jdk.charsets", "jdk.localedata", "jdk.jfr",
])
JAVA_HOME = "opt/java"
# A headless worker never loads the desktop's native parts; their X11/ALSA/font libraries stay out.
DESKTOP_ONLY = {"libawt_xawt.so", "libjawt.so", "libsplashscreen.so", "libjsound.so", "libfontmanager.so",
                "liblcms.so", "libjavajpeg.so", "libmlib_image.so"}
USER_ID = 65532


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def is_elf(path):
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def copy_with_links(src, root):
    """Copies src into root at the same path; a symlink is kept and its target copied too."""
    while True:
        dest = os.path.join(root, src.lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.lexists(dest):
            return
        if os.path.islink(src):
            target = os.readlink(src)
            os.symlink(target, dest)
            src = os.path.normpath(os.path.join(os.path.dirname(src), target))
            continue
        shutil.copy2(src, dest)
        return


def build_rootfs(root):
    jdk = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
    run(os.path.join(jdk, "bin", "jlink"), "--add-modules", MODULES, "--output", os.path.join(root, JAVA_HOME),
        "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=2")
    # Debian's JDK points cacerts at /etc/ssl/certs/java; the image gets the file itself.
    security = os.path.join(root, JAVA_HOME, "lib", "security")
    os.makedirs(security, exist_ok=True)
    cacerts = os.path.join(security, "cacerts")
    if os.path.lexists(cacerts):
        os.remove(cacerts)
    shutil.copy(os.path.realpath(os.path.join(jdk, "lib", "security", "cacerts")), cacerts)

    libraries = set()
    for dirpath, _, files in os.walk(os.path.join(root, JAVA_HOME)):
        for name in files:
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or name in DESKTOP_ONLY or not is_elf(path):
                continue
            for line in run("ldd", path).splitlines():
                parts = line.split()
                if "=>" in parts and len(parts) >= 3 and parts[2].startswith("/"):
                    libraries.add(parts[2])
                elif parts and parts[0].startswith("/"):
                    libraries.add(parts[0])  # the dynamic loader
    for lib in sorted(libraries):
        if not lib.startswith("/" + JAVA_HOME):
            copy_with_links(lib, root)

    etc = os.path.join(root, "etc")
    os.makedirs(etc, exist_ok=True)
    with open(os.path.join(etc, "passwd"), "w") as f:
        f.write(f"root:x:0:0:root:/root:/sbin/nologin\nrefarch:x:{USER_ID}:{USER_ID}:refarch:/home/refarch:/sbin/nologin\n")
    with open(os.path.join(etc, "group"), "w") as f:
        f.write(f"root:x:0:\nrefarch:x:{USER_ID}:\n")
    with open(os.path.join(etc, "nsswitch.conf"), "w") as f:
        f.write("passwd: files\ngroup: files\nhosts: files dns\n")
    for d, mode in (("tmp", 0o1777), ("home/refarch", 0o755), ("var/lib/refarch/kubeconfig", 0o700)):
        os.makedirs(os.path.join(root, d), exist_ok=True)
        os.chmod(os.path.join(root, d), mode)


def layer_tar(root):
    """The rootfs as one reproducible layer: sorted entries, no timestamps, root-owned but the user's dirs."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        paths = []
        for dirpath, dirs, files in os.walk(root):
            dirs.sort()
            for name in dirs + sorted(files):
                paths.append(os.path.join(dirpath, name))
        for path in sorted(paths):
            rel = os.path.relpath(path, root)
            info = tar.gettarinfo(path, arcname=rel)
            info.mtime = 0
            owned = rel in ("home/refarch", "var/lib/refarch/kubeconfig")
            info.uid = info.gid = USER_ID if owned else 0
            info.uname = info.gname = ""
            if info.isfile():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    return buf.getvalue()


def main():
    out = sys.argv[1]
    tag = sys.argv[2] if len(sys.argv) > 2 else "refarch/jre-base:17"
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "rootfs")
        os.makedirs(root)
        build_rootfs(root)
        layer = layer_tar(root)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": [f"PATH=/{JAVA_HOME}/bin:/usr/bin:/bin", f"JAVA_HOME=/{JAVA_HOME}"],
            "User": str(USER_ID),
            "WorkingDir": "/home/refarch",
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "worker/image/base-image.py: jlink " + MODULES}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [tag], "Layers": ["layer.tar"]}]).encode()
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with tarfile.open(out, "w") as tar:
        for name, data in (("layer.tar", layer), (config_name, config_bytes), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    print(f"{out}: {tag}, {len(layer) // (1024 * 1024)} MiB, layer {diff_id}")


if __name__ == "__main__":
    main()
