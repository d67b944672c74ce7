//! Lowering of Terraform resource instances into the model.
