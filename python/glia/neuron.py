"""What ``glia.insert`` returns: a handle on a mechanism inserted in a section (or on a point process), to set and
read its parameters and record them, whether the section is NEURON's own or a Patch section."""

import weakref

__all__ = ["MechAccessor"]


def neuron_object(thing):
    """The NEURON object behind ``thing`` (Patch objects give theirs through ``__neuron__``)."""
    return thing.__neuron__() if hasattr(thing, "__neuron__") else thing


class MechAccessor:
    def __init__(self, section, mod, point_process=None):
        self._section_name = neuron_object(section).hname()
        try:
            self._section = weakref.proxy(section)
        except TypeError:
            self._section = section
        self._mod = mod
        self._pp = point_process
        self._references = []

    def __neuron__(self):
        if self._pp is None:
            raise TypeError("Density mechanisms can't be retrieved as a standalone Patch/NEURON entity.")
        try:
            from patch import transform

            return transform(self._pp)
        except Exception:
            return self._pp

    def __ref__(self, other):
        self._references.append(other)

    def __deref__(self, other):
        self._references.remove(other)

    @property
    def _connections(self):
        try:
            return self._pp._connections
        except AttributeError:
            raise TypeError("Can't connect Patch/NEURON entities to a density mechanism.") from None

    @_connections.setter
    def _connections(self, value):
        self._pp._connections = value

    def stimulate(self, *args, **kwargs):
        if self._pp is None:
            raise TypeError("Can't stimulate a DensityMechanism.")
        return self._pp.stimulate(*args, **kwargs)

    def _live_section(self):
        try:
            return neuron_object(self._section)
        except ReferenceError:
            raise ReferenceError(
                f"Trying to use section '{self._section_name}' that has since been garbage collected"
            ) from None

    def record(self, param=None, x=0.5):
        """A vector recording ``param`` of a density mechanism at ``x``, or the point process's default."""
        from neuron import h

        if param is not None and self._pp is None:
            reference = getattr(self._live_section()(x), f"_ref_{param}_{self._mod.mod_name}")
        elif param is not None:
            reference = getattr(neuron_object(self._pp), f"_ref_{param}")
        else:
            return self.__record__()
        vector = h.Vector()
        vector.record(reference)
        return vector

    def __record__(self):
        if self._pp is None:
            raise TypeError("No default record for DensityMechanisms, use .record('param') instead.")
        return self._pp.__record__()

    def set(self, attribute_or_dict, value=None, /, x=None):
        if value is None:
            for name, item in attribute_or_dict.items():
                self.set_parameter(name, item, x)
        else:
            self.set_parameter(attribute_or_dict, value, x)

    def set_parameter(self, param, value, x=None):
        """Sets ``param``: on the point process, on the whole section, or on the segment at ``x``."""
        mod = self._mod.mod_name
        if self._pp is not None:
            point_process = neuron_object(self._pp)
            if not hasattr(point_process, param):
                raise AttributeError(f"Point process {mod} has no parameter '{param}'")
            return setattr(point_process, param, value)
        section = self._live_section()
        if x is None:
            if not hasattr(section(0.5), f"{param}_{mod}"):
                raise AttributeError(f"Parameter '{param}' does not exist on {self._mod.asset_name} ({mod})")
            return setattr(section, f"{param}_{mod}", value)
        return setattr(getattr(section(x), mod), param, value)

    def get_parameter(self, param, x=None):
        if self._pp is not None:
            return getattr(neuron_object(self._pp), param)
        mod = self._mod.mod_name
        section = self._live_section()
        try:
            if x is None:
                return getattr(section, f"{param}_{mod}")
            return getattr(getattr(section(x), mod), param)
        except AttributeError:
            raise AttributeError(f"Parameter '{param}' does not exist on {self._mod.asset_name} ({mod})") from None

    @property
    def parameters(self):
        raise NotImplementedError("Parameter overview not implemented yet. Use `get_parameter` instead.")
