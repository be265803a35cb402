#!/bin/sh
set -eu
docker build -t "$REPOSITORY_URL:latest" lambda/api
docker push "$REPOSITORY_URL:latest"
