touch secrets.json
cat > secrets.json << EOF
{
  "username": "admin",
  "password": "password"
}
EOF
