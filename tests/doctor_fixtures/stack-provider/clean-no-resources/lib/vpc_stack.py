from cdktf import TerraformOutput, TerraformStack


class VpcStack(TerraformStack):
    """Only an output: no resource of a provider, so no provider is needed."""

    def __init__(self, scope, stack_id: str) -> None:
        super().__init__(scope, stack_id)
        TerraformOutput(self, "shared_cidr", value="10.1.0.0/16")
