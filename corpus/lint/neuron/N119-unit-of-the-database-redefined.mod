: nocmodl: "Units redefinition": `ms` is a unit of NEURON's units database (modcc accepts the alias).
NEURON {
    SUFFIX unit_of_the_database_redefined
}
UNITS {
    (ms) = (milliseconds)
}
