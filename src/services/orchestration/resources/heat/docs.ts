/**
 * The plugins' docstrings as Heat's `resource type show` prints them (pydoc.getdoc of the class:
 * indentation removed, line breaks kept), checked against heat unmaintained/zed.
 */
export const DOCS = {
  none:
    'Enables easily disabling certain resources via the resource_registry.\n' +
    '\n' +
    'It does nothing, but can effectively stub out any other resource because it\n' +
    'will accept any properties and return any attribute (as None). Note this\n' +
    'resource always does nothing on update (e.g it is not replaced even if a\n' +
    'change to the stubbed resource properties would cause replacement).',
  value:
    'A resource which exposes its value property as an attribute.\n' +
    '\n' +
    'This is useful for exposing a value that is a simple manipulation\n' +
    'of other template parameters and/or other resources.',
  randomString:
    'A resource which generates a random string.\n' +
    '\n' +
    'This is useful for configuring passwords and secrets on services. Random\n' +
    'string can be generated from specified character sequences, which means\n' +
    'that all characters will be randomly chosen from specified sequences, or\n' +
    'with some classes, e.g. letterdigits, which means that all character will\n' +
    'be randomly chosen from union of ascii letters and digits. Output string\n' +
    'will be randomly generated string with specified length (or with length of\n' +
    "32, if length property doesn't specified).",
  testResource:
    'A resource which stores the string value that was provided.\n' +
    '\n' +
    'This resource is to be used only for testing.\n' +
    "It has control knobs such as 'update_replace', 'fail', 'wait_secs'.",
  softwareConfig:
    'A resource for describing and storing software configuration.\n' +
    '\n' +
    'The software_configs API which backs this resource creates immutable\n' +
    'configs, so any change to the template resource definition will result\n' +
    'in a new config being created, and the old one being deleted.\n' +
    '\n' +
    'Configs can be defined in the same template which uses them, or they can\n' +
    'be created in one stack, and passed to another stack via a parameter.\n' +
    '\n' +
    'A config resource can be referenced in other resource properties which\n' +
    'are config-aware. This includes the properties OS::Nova::Server user_data,\n' +
    'OS::Heat::SoftwareDeployment config and OS::Heat::MultipartMime parts\n' +
    'config.\n' +
    '\n' +
    'Along with the config script itself, this resource can define schemas for\n' +
    'inputs and outputs which the config script is expected to consume and\n' +
    'produce. Inputs and outputs are optional and will map to concepts which\n' +
    'are specific to the configuration tool being used.',
  cloudConfig:
    'A configuration resource for representing cloud-init cloud-config.\n' +
    '\n' +
    'This resource allows cloud-config YAML to be defined and stored by the\n' +
    'config API. Any intrinsic functions called in the config will be resolved\n' +
    'before storing the result.\n' +
    '\n' +
    'This resource will generally be referenced by OS::Nova::Server user_data,\n' +
    'or OS::Heat::MultipartMime parts config. Since cloud-config is boot-only\n' +
    'configuration, any changes to the definition will result in the\n' +
    'replacement of all servers which reference it.',
  multipartMime:
    'Assembles a collection of software configurations as a multi-part mime.\n' +
    '\n' +
    'Parts in the message can be populated with inline configuration or\n' +
    'references to other config resources. If the referenced resource is itself\n' +
    'a valid multi-part mime message, that will be broken into parts and\n' +
    'those parts appended to this message.\n' +
    '\n' +
    'The resulting multi-part mime message will be stored by the configs API\n' +
    'and can be referenced in properties such as OS::Nova::Server user_data.\n' +
    '\n' +
    'This resource is generally used to build a list of cloud-init\n' +
    'configuration elements including scripts and cloud-config. Since\n' +
    'cloud-init is boot-only configuration, any changes to the definition\n' +
    'will result in the replacement of all servers which reference it.',
  structuredConfig:
    'A resource which has same logic with OS::Heat::SoftwareConfig.\n' +
    '\n' +
    'This resource is like OS::Heat::SoftwareConfig except that the config\n' +
    'property is represented by a Map rather than a String.\n' +
    '\n' +
    'This is useful for configuration tools which use YAML or JSON as their\n' +
    'configuration syntax. The resulting configuration is transferred,\n' +
    'stored and returned by the software_configs API as parsed JSON.',
  waitCondition:
    'Resource for handling signals received by WaitConditionHandle.\n' +
    '\n' +
    'Resource takes WaitConditionHandle and starts to create. Resource is in\n' +
    "CREATE_IN_PROGRESS status until WaitConditionHandle doesn't receive\n" +
    'sufficient number of successful signals (this number can be specified with\n' +
    'count property) and successfully creates after that, or fails due to\n' +
    'timeout.',
  waitConditionHandle:
    'Resource for managing instance signals.\n' +
    '\n' +
    'The main points of this resource are:\n' +
    '  - have no dependencies (so the instance can reference it).\n' +
    '  - create credentials to allow for signalling from the instance.\n' +
    '  - handle signals from the instance, validate and store result.',
};
