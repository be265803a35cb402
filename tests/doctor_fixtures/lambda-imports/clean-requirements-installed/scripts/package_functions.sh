#!/bin/sh
# Installs each function's requirements into its folder before the synth zips it.
pip install -r lib/lambda/validation/requirements.txt -t lib/lambda/validation
