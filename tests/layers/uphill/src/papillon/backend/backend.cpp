// Against the ladder: a module the design does not name.
#include <papillon/widgets/widget.hpp>
