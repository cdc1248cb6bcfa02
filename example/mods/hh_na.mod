TITLE Hodgkin-Huxley sodium channel (example)
: A density mechanism in NEURON's dialect whose syntax Arbor also reads. nocmodl needs the ion variables in
: ASSIGNED (without them its C++ does not compile); modcc refuses them there: `glia lint --dialect arbor` says so
: and `--fix` removes them.

NEURON {
    SUFFIX hh_na
    USEION na READ ena WRITE ina
    RANGE gnabar
}

UNITS {
    (mV) = (millivolt)
    (S) = (siemens)
    (mA) = (milliamp)
}

PARAMETER {
    gnabar = 0.12 (S/cm2)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
}

STATE { m h }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gnabar*m*m*m*h*(v - ena)
}

INITIAL {
    m = alpha_m(v)/(alpha_m(v) + beta_m(v))
    h = alpha_h(v)/(alpha_h(v) + beta_h(v))
}

DERIVATIVE states {
    m' = alpha_m(v)*(1 - m) - beta_m(v)*m
    h' = alpha_h(v)*(1 - h) - beta_h(v)*h
}

FUNCTION alpha_m(v (mV)) (/ms) {
    alpha_m = 0.1*vtrap(-(v + 40)/10)
}

FUNCTION beta_m(v (mV)) (/ms) {
    beta_m = 4*exp(-(v + 65)/18)
}

FUNCTION alpha_h(v (mV)) (/ms) {
    alpha_h = 0.07*exp(-(v + 65)/20)
}

FUNCTION beta_h(v (mV)) (/ms) {
    beta_h = 1/(exp(-(v + 35)/10) + 1)
}

FUNCTION vtrap(x) {
    if (fabs(x) < 1e-6) {
        vtrap = 1 - x/2
    } else {
        vtrap = x/(exp(x) - 1)
    }
}
