from cdktf import App

from lib.storage_stack import StorageStack

app = App()
StorageStack(app, "StorageStackdev", environment_suffix="dev")
app.synth()
