# Builds small OCI images from Debian's busybox-static without a registry and imports them into
# containerd (sourced by up.sh). podlife/busybox:1 has sh, sleep, httpd, ...; podlife/pause:1 is
# the sandbox image (busybox sleep as PID 1).
build_oci() { # name tag rootfs-dir entrypoint-json cmd-json out.tar
  local name=$1 tag=$2 root=$3 entry=$4 cmd=$5 out=$6 work
  work=$(mktemp -d)
  mkdir -p "$work/blobs/sha256"
  tar --sort=name --mtime='2020-01-01 00:00Z' --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
  local diff_id size_l
  diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  gzip -n -c "$work/layer.tar" > "$work/layer.tar.gz"
  local layer_digest; layer_digest=$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)
  size_l=$(stat -c %s "$work/layer.tar.gz")
  mv "$work/layer.tar.gz" "$work/blobs/sha256/$layer_digest"
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":%s,"Cmd":%s,"Env":["PATH=/bin:/usr/bin:/sbin"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"podlife cluster/images.sh"}]}' "$entry" "$cmd" "$diff_id" > "$work/config.json"
  local cfg_digest cfg_size; cfg_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1); cfg_size=$(stat -c %s "$work/config.json")
  mv "$work/config.json" "$work/blobs/sha256/$cfg_digest"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' "$cfg_digest" "$cfg_size" "$layer_digest" "$size_l" > "$work/manifest.json"
  local man_digest man_size; man_digest=$(sha256sum "$work/manifest.json" | cut -d' ' -f1); man_size=$(stat -c %s "$work/manifest.json")
  mv "$work/manifest.json" "$work/blobs/sha256/$man_digest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"docker.io/%s:%s","org.opencontainers.image.ref.name":"%s"}}]}' "$man_digest" "$man_size" "$name" "$tag" "$tag" > "$work/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$work/oci-layout"
  rm -f "$work/layer.tar"
  tar -C "$work" -cf "$out" oci-layout index.json blobs
  rm -rf "$work"
}

build_images() {
  local busybox=/bin/busybox
  dpkg -s busybox-static >/dev/null 2>&1 && [[ -x "$busybox" ]] || die "busybox-static is missing (apt-get install busybox-static)"
  local root="$D/images/rootfs"
  rm -rf "$root"; mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/var/www" "$root/proc" "$root/sys" "$root/dev"
  cp "$busybox" "$root/bin/busybox"
  for app in $("$busybox" --list); do [[ "$app" == busybox ]] || ln -sf busybox "$root/bin/$app"; done
  echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  echo ok > "$root/var/www/index.html"
  chmod 1777 "$root/tmp"
  build_oci podlife/busybox 1 "$root" '["/bin/sh"]' '[]' "$D/images/busybox.tar"
  build_oci podlife/pause 1 "$root" '["/bin/sleep","2147483647"]' 'null' "$D/images/pause.tar"
  for t in busybox pause; do
    ctr -a "$SOCK" -n k8s.io images import --no-unpack=false "$D/images/$t.tar" >/dev/null || die "ctr could not import $t.tar"
  done
}
