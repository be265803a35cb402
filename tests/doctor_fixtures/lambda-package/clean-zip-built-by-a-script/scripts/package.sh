#!/bin/sh
set -eu
cd lib/lambda
zip -r ../lambda_function.zip index.py
