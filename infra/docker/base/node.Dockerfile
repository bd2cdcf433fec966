# The Node.js base of the built flavor's lab image, on the debootstrap trixie image
# (infra/docker/make-base-image.sh): Debian 13 packages Node.js 20, Debian 12 only 18.
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE}
RUN set -eux; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs; \
    rm -rf /var/lib/apt/lists/*; \
    node --version | grep -q '^v20\.'
CMD ["node"]
